/**
 * Writes a synthetic dataset in the PerSeg layout (Images/<object>/NN.jpg,
 * Annotations/<object>/NN.png with foreground RGB (128,0,0), as PerSeg's own masks) plus a
 * manifest.json with what PerSeg cannot express: instance counts and per-instance boxes.
 */
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import {
  generateDatasetSpec,
  renderSyntheticImage,
  type SyntheticDatasetOptions,
} from '../../../common/synthetic'
import { writeFileAtomic } from '../fs/atomicWrite'

export interface SyntheticManifestImage {
  readonly file: string
  readonly mask: string
  readonly width: number
  readonly height: number
  readonly instanceCount: number
  /** [x, y, w, h] per instance, as COCO boxes. */
  readonly instanceBoxes: readonly (readonly [number, number, number, number])[]
}

export interface SyntheticManifest {
  readonly generator: 'persam-studio synthetic'
  readonly options: Partial<SyntheticDatasetOptions>
  readonly objects: readonly {
    readonly name: string
    readonly partsDifferInColour: boolean
    readonly images: readonly SyntheticManifestImage[]
  }[]
}

function boxOf(mask: Uint8Array, width: number, height: number): [number, number, number, number] {
  let x0 = width
  let y0 = height
  let x1 = -1
  let y1 = -1
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue
      if (x < x0) x0 = x
      if (x > x1) x1 = x
      if (y < y0) y0 = y
      if (y > y1) y1 = y
    }
  }
  return x1 < 0 ? [0, 0, 0, 0] : [x0, y0, x1 - x0 + 1, y1 - y0 + 1]
}

export async function writeSyntheticDataset(
  outDir: string,
  options: Partial<SyntheticDatasetOptions> = {},
  onProgress?: (done: number, total: number) => void,
): Promise<SyntheticManifest> {
  const objects = generateDatasetSpec(options)
  const total = objects.reduce((sum, object) => sum + object.images.length, 0)
  let done = 0
  const manifestObjects: SyntheticManifest['objects'][number][] = []
  for (const object of objects) {
    const imageDir = path.join(outDir, 'Images', object.template.name)
    const maskDir = path.join(outDir, 'Annotations', object.template.name)
    await mkdir(imageDir, { recursive: true })
    await mkdir(maskDir, { recursive: true })
    const images: SyntheticManifestImage[] = []
    for (const image of object.images) {
      const scene = renderSyntheticImage(object, image)
      const { width, height } = scene
      const union = new Uint8Array(width * height)
      for (const mask of scene.instanceMasks) for (let i = 0; i < union.length; i++) union[i]! |= mask[i]!
      const maskRgb = new Uint8Array(width * height * 3)
      for (let i = 0; i < union.length; i++) maskRgb[i * 3] = union[i] ? 128 : 0
      const jpeg = await sharp(scene.rgb, { raw: { width, height, channels: 3 } }).jpeg({ quality: 92 }).toBuffer()
      const png = await sharp(maskRgb, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 9 }).toBuffer()
      await writeFileAtomic(path.join(imageDir, `${image.index}.jpg`), jpeg)
      await writeFileAtomic(path.join(maskDir, `${image.index}.png`), png)
      images.push({
        file: `Images/${object.template.name}/${image.index}.jpg`,
        mask: `Annotations/${object.template.name}/${image.index}.png`,
        width,
        height,
        instanceCount: image.instanceCount,
        instanceBoxes: scene.instanceMasks.map((mask) => boxOf(mask, width, height)),
      })
      onProgress?.(++done, total)
    }
    manifestObjects.push({ name: object.template.name, partsDifferInColour: object.template.partsDifferInColour, images })
  }
  const manifest: SyntheticManifest = { generator: 'persam-studio synthetic', options, objects: manifestObjects }
  await writeFileAtomic(path.join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  return manifest
}
