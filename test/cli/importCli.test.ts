/**
 * `persam-studio import`: a COCO file with polygon and RLE masks lands in the project as those
 * masks exactly; a PerSeg folder becomes categories and masks; a malformed file ends with one
 * line naming the file and the JSON path, exit code 1, and nothing changed.
 */
import { cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { compressRle, createMask, decodeRle, encodeRle, maskIou, paintDisc, rasterizePolygons } from '../../src/common/mask'
import { Project, binaryOfStored } from '../../src/main/services/store/index'
import { writeSyntheticDataset } from '../../src/main/services/synthetic/writeSyntheticDataset'
import { resourcesDir } from '../../src/main/services/system/paths'
import { runCli, type CliResult } from './cliHelpers'

const cli = (args: string[]): Promise<CliResult> => runCli(['import', ...args])

const W = 800
const H = 600

/** Two demo photos and a COCO file: a polygon on photo-00, a compressed RLE disc on photo-01. */
function cocoFixture() {
  const dir = mkdtempSync(path.join(tmpdir(), 'import-cli-'))
  cpSync(path.join(resourcesDir(), 'demo', 'images'), dir, { recursive: true, filter: (f) => !/photo-(0[2-9]|1\d)\.jpg$/.test(f) })
  const polygon = [100, 100, 300, 120, 250, 300, 90, 280]
  const disc = paintDisc(createMask(W, H), { x: 500, y: 350 }, 80)
  const rle = compressRle(encodeRle(disc))
  const coco = {
    images: [
      { id: 1, file_name: 'photo-00.jpg', width: W, height: H },
      { id: 2, file_name: 'photo-01.jpg', width: W, height: H },
    ],
    categories: [{ id: 5, name: 'kite' }],
    annotations: [
      { id: 1, image_id: 1, category_id: 5, segmentation: [polygon], area: 1, bbox: [0, 0, 1, 1], iscrowd: 0 },
      { id: 2, image_id: 2, category_id: 5, segmentation: { size: rle.size, counts: rle.counts }, area: 1, bbox: [0, 0, 1, 1], iscrowd: 0 },
    ],
  }
  const file = path.join(dir, 'instances.json')
  writeFileSync(file, JSON.stringify(coco))
  return { dir, file, coco, truth: { 'photo-00.jpg': decodeRle(rasterizePolygons([polygon], H, W)), 'photo-01.jpg': disc } }
}

function storedMasks(projectDir: string): Map<string, ReturnType<typeof binaryOfStored>> {
  const project = Project.openReadOnly(projectDir)
  try {
    const masks = new Map<string, ReturnType<typeof binaryOfStored>>()
    for (const image of project.images.iterate()) for (const a of project.annotations.forImage(image.id)) masks.set(image.relPath, binaryOfStored(a.mask!))
    return masks
  } finally {
    project.close()
  }
}

describe('persam-studio import', () => {
  it('imports a COCO file with polygon and RLE masks into a new project, exactly', async () => {
    const { dir, file, truth } = cocoFixture()
    const projectDir = path.join(dir, 'project')
    const outcome = await cli([projectDir, '--coco', file])
    expect(outcome.stderr).not.toContain('error')
    expect(outcome.code).toBe(0)
    expect(outcome.stderr).toMatch(/imported 2 annotations, 2 new images, 1 new categories/)
    const masks = storedMasks(projectDir)
    expect([...masks.keys()].sort()).toEqual(['photo-00.jpg', 'photo-01.jpg'])
    for (const [name, mask] of masks) expect(maskIou(mask, truth[name as keyof typeof truth])).toBe(1)
  })

  it('refuses a malformed file with one line naming the file and the JSON path, and changes nothing', async () => {
    const { dir, coco } = cocoFixture()
    const bad = structuredClone(coco) as { annotations: { segmentation: unknown }[] }
    bad.annotations[1]!.segmentation = { size: [H, W], counts: 42 }
    const file = path.join(dir, 'broken.json')
    writeFileSync(file, JSON.stringify(bad))
    const projectDir = path.join(dir, 'project')
    const outcome = await cli([projectDir, '--coco', file])
    expect(outcome.code).toBe(1)
    const lines = outcome.stderr.split('\n').filter((line) => line.startsWith('error:'))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^error: broken\.json: annotations\[1\]\.segmentation/)
    // The project the command would have created is not left behind.
    expect(existsSync(projectDir)).toBe(false)
  })

  it('imports a PerSeg folder: one category per object, its masks', async () => {
    const data = mkdtempSync(path.join(tmpdir(), 'import-perseg-'))
    const manifest = await writeSyntheticDataset(data, { objectCount: 2, minImages: 2, maxImages: 3, sizes: [[96, 72]] })
    const projectDir = path.join(data, 'project')
    const outcome = await cli([projectDir, '--perseg', data])
    expect(outcome.code).toBe(0)
    const project = Project.openReadOnly(projectDir)
    try {
      expect(project.categories.list().map((c) => c.name).sort()).toEqual(manifest.objects.map((o) => o.name).sort())
    } finally {
      project.close()
    }
  })

  it('needs exactly one source', async () => {
    const outcome = await cli([mkdtempSync(path.join(tmpdir(), 'import-none-'))])
    expect(outcome.code).toBe(1)
    expect(outcome.stderr.trim()).toBe('error: give exactly one of --coco FILE, --perseg DIR, --davis DIR, --video FILE or --frames DIR')
  })
})
