/**
 * The command line's file handling end to end, on the toy model: EXIF-rotated references, image
 * folders of symbolic links (with a loop and a non-UTF-8 name), COCO sizes for absent images, an
 * output folder that does not exist yet, and eval going on past an unreadable object.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { readReferences } from '../../src/cli/propagate'
import { decompressRle, rleOverlap } from '../../src/common/mask'
import { readMaskImage } from '../../src/main/services/images/maskPng'
import { writeSyntheticDataset, type SyntheticManifest } from '../../src/main/services/synthetic/writeSyntheticDataset'
import { useTempDir } from '../helpers/tempDir'
import { errorLines, hasStack, runCli } from './cliHelpers'

const dir = useTempDir('cli-files-')
const data = path.join(dir, 'data')
let manifest: SyntheticManifest
let object: SyntheticManifest['objects'][number]
/** The reference photo stored sideways with an EXIF orientation tag (6: turn 90° clockwise to view), and its mask. */
const rotatedImage = path.join(dir, 'rotated.jpg')
const rotatedMask = path.join(dir, 'rotated-mask.png')

beforeAll(async () => {
  manifest = await writeSyntheticDataset(data, { seed: 11, objectCount: 2 })
  object = manifest.objects[0]!
  const reference = object.images[0]!
  await sharp(path.join(data, reference.file)).rotate(-90).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toFile(rotatedImage)
  await sharp(path.join(data, reference.mask)).rotate(-90).withMetadata({ orientation: 6 }).png().toFile(rotatedMask)
}, 120_000)

describe('reference masks', () => {
  it('are read in the oriented frame of their image, tagged or not', async () => {
    const reference = object.images[0]!
    const upright = await readMaskImage(path.join(data, reference.mask))
    expect((await sharp(rotatedMask).metadata()).width).toBe(reference.height) // stored sideways
    const [tagged] = await readReferences([rotatedImage], [rotatedMask])
    expect([tagged!.mask.width, tagged!.mask.height]).toEqual([reference.width, reference.height])
    expect(Buffer.from(tagged!.mask.data).equals(Buffer.from(upright.data))).toBe(true)
    const [untagged] = await readReferences([rotatedImage], [path.join(data, reference.mask)])
    expect(Buffer.from(untagged!.mask.data).equals(Buffer.from(upright.data))).toBe(true)
  })

  it('propagate from an EXIF-rotated reference photo and its tagged mask finds what the upright reference finds', async () => {
    const reference = object.images[0]!
    const images = path.join(data, 'Images', object.name)
    const run = async (ref: string, mask: string, out: string) => {
      const result = await runCli(['propagate', '--ref', ref, '--ref-mask', mask, '--images', images, '--out', out, '--method', 'persam', '--ep', 'cpu'])
      expect(result.code, result.stderr).toBe(0)
      return JSON.parse(readFileSync(out, 'utf8')) as { annotations: { image_id: number; segmentation: { size: [number, number]; counts: string } }[] }
    }
    const upright = await run(path.join(data, reference.file), path.join(data, reference.mask), path.join(dir, 'upright.json'))
    const rotated = await run(rotatedImage, rotatedMask, path.join(dir, 'rotated.json'))
    // A misaligned (unrotated) reference mask gives another target: other images, other masks.
    expect(rotated.annotations.map((a) => a.image_id)).toEqual(upright.annotations.map((a) => a.image_id))
    expect(upright.annotations.length).toBeGreaterThan(0)
    upright.annotations.forEach((expected, i) => {
      const overlap = rleOverlap(decompressRle(expected.segmentation), decompressRle(rotated.annotations[i]!.segmentation))
      expect(overlap.intersection / overlap.union, `image ${expected.image_id}`).toBeGreaterThan(0.8)
    })
  }, 240_000)
})

describe('propagate on a folder of symbolic links', () => {
  it('follows the links, reports the loop and the undecodable name, and writes integer sizes for absent images into a new folder', async () => {
    const links = path.join(dir, 'links')
    mkdirSync(links)
    for (const image of object.images) symlinkSync(path.join(data, image.file), path.join(links, path.basename(image.file)))
    symlinkSync('.', path.join(links, 'loop'))
    copyFileSync(path.join(data, object.images[1]!.file), Buffer.concat([Buffer.from(`${links}/odd-`), Buffer.from([0xff]), Buffer.from('.jpg')]))
    const outDir = path.join(dir, 'not', 'yet')
    const out = path.join(outDir, 'proposals.json')
    const reference = object.images[0]!
    // --absent-threshold 1 marks every image absent: no mask gives their size.
    const result = await runCli([
      'propagate', '--ref', path.join(data, reference.file), '--ref-mask', path.join(data, reference.mask), '--images', links, '--out', out,
      '--method', 'persam', '--ep', 'cpu', '--absent-threshold', '1',
    ])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toContain(`skipped ${path.join(links, 'loop')}: symbolic link loop`)
    expect(result.stderr).toContain(`skipped ${path.join(links, 'odd-\\xff.jpg')}: the file name is not valid UTF-8`)
    expect(result.stderr).not.toMatch(/ENOENT/)
    const coco = JSON.parse(readFileSync(out, 'utf8'))
    expect(coco.licenses).toBeUndefined()
    expect(coco.info.description).toBe('PerSAM Studio proposals (persam)')
    expect(coco.categories).toEqual([{ id: 1, name: 'object' }])
    expect(coco.annotations).toEqual([])
    expect(coco.images).toHaveLength(object.images.length)
    for (const entry of coco.images as { file_name: string; width: unknown; height: unknown }[]) {
      const expected = object.images.find((image) => path.basename(image.file) === entry.file_name)!
      expect([entry.width, entry.height], entry.file_name).toEqual([expected.width, expected.height])
      expect(Number.isInteger(entry.width) && Number.isInteger(entry.height)).toBe(true)
    }
    expect(readdirSync(outDir)).toEqual(['proposals.json'])
  }, 180_000)
})

describe('eval', () => {
  it('skips an object it cannot read, says which and why, and evaluates the rest', async () => {
    const broken = manifest.objects[1]!
    const brokenMask = path.join(data, broken.images[1]!.mask)
    writeFileSync(brokenMask, 'not a png')
    const report = path.join(dir, 'reports', 'eval.json')
    const result = await runCli(['eval', '--data', data, '--method', 'persam', '--ep', 'cpu', '--report', report])
    expect(result.code, result.stderr).toBe(0)
    expect(errorLines(result.stderr)).toEqual([])
    expect(hasStack(result.stderr)).toBe(false)
    expect(result.stderr).toContain(`skipped object ${broken.name}: ${brokenMask}: not a readable mask image`)
    expect(result.stdout).toContain(object.name)
    const json = JSON.parse(readFileSync(report, 'utf8'))
    expect(json.objects.map((o: { name: string }) => o.name)).toEqual([object.name])
    expect(json.skippedObjects).toEqual([{ name: broken.name, reason: expect.stringContaining(brokenMask) }])
  }, 180_000)
})
