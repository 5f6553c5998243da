import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { decompressRle, rleArea, rleBbox } from '../../src/common/mask'
import { writeSyntheticDataset, type SyntheticManifest } from '../../src/main/services/synthetic/writeSyntheticDataset'

const run = promisify(execFile)
const cli = (args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], { maxBuffer: 16 * 2 ** 20 })

let data: string
let manifest: SyntheticManifest
beforeAll(async () => {
  data = mkdtempSync(path.join(tmpdir(), 'cli-synthetic-'))
  manifest = await writeSyntheticDataset(data, { seed: 11, objectCount: 2 })
}, 60_000)

describe('persam-studio CLI', () => {
  it('eval prints per-object IoU and writes a JSON report', async () => {
    const report = path.join(data, 'report.json')
    const { stdout } = await cli(['eval', '--data', data, '--method', 'persam-f', '--report', report, '--ep', 'cpu'])
    expect(stdout).toMatch(/persam-f: mIoU \d+\.\d\s+bIoU \d+\.\d/)
    for (const object of manifest.objects) expect(stdout).toContain(object.name)
    const json = JSON.parse(readFileSync(report, 'utf8'))
    expect(json.method).toBe('persam-f')
    expect(json.objects).toHaveLength(2)
    expect(json.miou).toBeGreaterThan(0.5)
    expect(json.objects[0].images.length).toBe(manifest.objects[0]!.images.length - 1)
  }, 120_000)

  it('propagate writes a COCO file of proposals with scores and consistent RLE', async () => {
    const object = manifest.objects[0]!
    const out = path.join(data, 'proposals.json')
    await cli([
      'propagate',
      '--ref', path.join(data, object.images[0]!.file),
      '--ref-mask', path.join(data, object.images[0]!.mask),
      '--images', path.join(data, 'Images', object.name),
      '--out', out,
      '--method', 'persam',
      '--ep', 'cpu',
    ])
    expect(existsSync(`${out}.tmp-${process.pid}`)).toBe(false)
    const coco = JSON.parse(readFileSync(out, 'utf8'))
    expect(coco.images).toHaveLength(object.images.length)
    expect(coco.categories).toEqual([{ id: 1, name: 'object' }])
    const present = object.images.filter((image) => image.instanceCount > 0).length
    expect(coco.annotations.length).toBeGreaterThanOrEqual(Math.floor(present * 0.8))
    coco.annotations.forEach((annotation: { id: number; image_id: number; iscrowd: number; score: number; area: number; bbox: number[]; segmentation: { size: [number, number]; counts: string } }, index: number) => {
      expect(annotation.id).toBe(index + 1)
      expect(annotation.iscrowd).toBe(0)
      expect(annotation.score).toBeGreaterThan(0)
      expect(annotation.score).toBeLessThanOrEqual(1)
      const image = coco.images.find((i: { id: number }) => i.id === annotation.image_id)
      expect(annotation.segmentation.size).toEqual([image.height, image.width])
      const rle = decompressRle(annotation.segmentation)
      expect(rleArea(rle)).toBe(annotation.area)
      expect(rleBbox(rle)).toEqual(annotation.bbox)
    })
  }, 120_000)

  it('refuses mismatched --ref and --ref-mask counts with a clear message', async () => {
    await expect(cli(['propagate', '--ref', 'a.jpg', 'b.jpg', '--ref-mask', 'a.png', '--images', data, '--out', path.join(data, 'x.json')])).rejects.toMatchObject({
      stderr: expect.stringContaining('give one --ref-mask per --ref'),
    })
  })
})
