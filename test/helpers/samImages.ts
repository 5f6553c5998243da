/**
 * Generated test images (no binary fixtures): discs on a textured background, written with
 * sharp, optionally stored rotated with an EXIF orientation tag so that they display upright.
 */
import sharp from 'sharp'
import { Random } from '../../src/common/synthetic/random'

export interface Disc {
  readonly cx: number
  readonly cy: number
  readonly r: number
  readonly colour: readonly [number, number, number]
}

export interface RawRgb {
  readonly width: number
  readonly height: number
  readonly rgb: Uint8Array
}

/** The synthetic data's seeded PRNG (mulberry32) as a function. */
export function prng(seed: number): () => number {
  const generator = new Random(seed)
  return () => generator.next()
}

export function insideDisc(disc: Disc, x: number, y: number): boolean {
  return (x + 0.5 - disc.cx) ** 2 + (y + 0.5 - disc.cy) ** 2 < disc.r * disc.r
}

/** A green/blue checkerboard with noise (far from red in colour), with discs painted on top. */
export function discScene(width: number, height: number, discs: readonly Disc[], seed = 1): RawRgb {
  const random = prng(seed)
  const rgb = new Uint8Array(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3
      const disc = discs.find((candidate) => insideDisc(candidate, x, y))
      const noise = random() * 40
      const colour = disc ? disc.colour : ((x >> 4) + (y >> 4)) % 2 ? [40 + noise, 150, 60] : [50, 80 + noise, 200]
      rgb[i] = colour[0]!
      rgb[i + 1] = colour[1]!
      rgb[i + 2] = colour[2]!
    }
  }
  return { width, height, rgb }
}

export function discMask(width: number, height: number, disc: Disc): Uint8Array {
  const mask = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) mask[y * width + x] = insideDisc(disc, x, y) ? 1 : 0
  return mask
}

export function iou(a: Uint8Array, b: Uint8Array): number {
  let intersection = 0
  let union = 0
  for (let i = 0; i < a.length; i++) {
    if (a[i] && b[i]) intersection++
    if (a[i] || b[i]) union++
  }
  return union === 0 ? 1 : intersection / union
}

export function area(mask: Uint8Array): number {
  let total = 0
  for (const value of mask) total += value
  return total
}

/**
 * The stored pixels that display as `shown` under EXIF `orientation` (1..8): displayed (x, y)
 * comes from stored (sx, sy) as the EXIF definitions say.
 */
export function storedForOrientation(shown: RawRgb, orientation: number): RawRgb {
  const swap = orientation >= 5
  const width = swap ? shown.height : shown.width
  const height = swap ? shown.width : shown.height
  const rgb = new Uint8Array(shown.rgb.length)
  for (let y = 0; y < shown.height; y++) {
    for (let x = 0; x < shown.width; x++) {
      const [sx, sy] = (
        {
          1: [x, y],
          2: [width - 1 - x, y],
          3: [width - 1 - x, height - 1 - y],
          4: [x, height - 1 - y],
          5: [y, x],
          6: [y, height - 1 - x],
          7: [width - 1 - y, height - 1 - x],
          8: [width - 1 - y, x],
        } as Record<number, [number, number]>
      )[orientation]!
      rgb.set(shown.rgb.subarray((y * shown.width + x) * 3, (y * shown.width + x) * 3 + 3), (sy * width + sx) * 3)
    }
  }
  return { width, height, rgb }
}

export async function writeImage(file: string, image: RawRgb, options: { format?: 'png' | 'jpeg'; orientation?: number } = {}): Promise<string> {
  let pipeline = sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } })
  pipeline = options.format === 'jpeg' ? pipeline.jpeg({ quality: 95 }) : pipeline.png()
  if (options.orientation) pipeline = pipeline.withMetadata({ orientation: options.orientation })
  await pipeline.toFile(file)
  return file
}
