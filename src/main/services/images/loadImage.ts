/**
 * Image decoding through sharp: any format sharp reads, EXIF orientation applied (sizes are the
 * oriented ones), 16-bit, greyscale, CMYK and alpha images turned into 8-bit RGB (alpha is
 * dropped, as the SAM reference's PIL convert('RGB') does), a pixel cap checked on the header
 * before decoding, and errors that name the file.
 */
import type { OutputInfo, Sharp } from 'sharp'
import { headerSize, sharpSource } from './sharpSource'

export const DEFAULT_MAX_IMAGE_PIXELS = 150_000_000

export interface ImageLoadOptions {
  /** Refuse images with more pixels than this (checked before decoding). Default 150 megapixels. */
  readonly maxPixels?: number
}

/** 8-bit RGB, row-major HWC. */
export interface RgbImage {
  readonly width: number
  readonly height: number
  readonly rgb: Uint8Array
}

export class ImageLoadError extends Error {
  override readonly name = 'ImageLoadError'
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`)
  }
}

export interface OrientedSize {
  readonly width: number
  readonly height: number
}

/** sharp's messages can span lines (one per libvips warning); keep them on one. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return [...new Set(message.split('\n').map((line) => line.trim()).filter(Boolean))].join('; ')
}

/** Reads the header only: the size after EXIF orientation, with the pixel cap enforced. */
export async function readOrientedSize(file: string, options: ImageLoadOptions = {}): Promise<OrientedSize> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_IMAGE_PIXELS
  let metadata: Awaited<ReturnType<typeof headerSize>>
  try {
    metadata = await headerSize(file)
  } catch (error) {
    throw new ImageLoadError(file, `cannot read image (${reasonOf(error)})`)
  }
  const { width, height } = metadata
  if (!width || !height) throw new ImageLoadError(file, `cannot read image (no size in the ${metadata.format ?? 'unknown'} header)`)
  if (width * height > maxPixels) {
    const megapixels = (value: number) => `${(value / 1e6).toFixed(1)} megapixels`
    throw new ImageLoadError(file, `image is ${width}x${height} (${megapixels(width * height)}), above the ${megapixels(maxPixels)} limit`)
  }
  const swapped = metadata.orientation >= 5
  return swapped ? { width: height, height: width } : { width, height }
}

/** An oriented, 8-bit sRGB pipeline for `file`; the caller adds resizing and output. */
async function rgbPipeline(file: string, maxPixels: number): Promise<Sharp> {
  try {
    return (await sharpSource(file, { limitInputPixels: maxPixels, failOn: 'error' })).rotate().toColourspace('srgb').removeAlpha()
  } catch (error) {
    throw new ImageLoadError(file, `cannot decode image (${reasonOf(error)})`)
  }
}

async function toRgb(file: string, pipeline: Sharp, expected: OrientedSize): Promise<RgbImage> {
  let output: { data: Buffer; info: OutputInfo }
  try {
    output = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true })
  } catch (error) {
    throw new ImageLoadError(file, `cannot decode image (${reasonOf(error)})`)
  }
  const { data, info } = output
  if (info.channels !== 3 || info.width !== expected.width || info.height !== expected.height) {
    throw new ImageLoadError(file, `decoded to ${info.width}x${info.height}x${info.channels}, expected ${expected.width}x${expected.height}x3`)
  }
  return { width: info.width, height: info.height, rgb: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }
}

/** The whole image as 8-bit RGB at its oriented size. */
export async function loadImage(file: string, options: ImageLoadOptions = {}): Promise<RgbImage> {
  const size = await readOrientedSize(file, options)
  return toRgb(file, await rgbPipeline(file, options.maxPixels ?? DEFAULT_MAX_IMAGE_PIXELS), size)
}

/**
 * The image resized to exactly `target` (bilinear, antialiased when shrinking, like the
 * reference's PIL resize) without materialising the full-size RGB in JavaScript.
 */
export async function loadImageResized(file: string, target: OrientedSize, options: ImageLoadOptions = {}): Promise<RgbImage> {
  const pipeline = (await rgbPipeline(file, options.maxPixels ?? DEFAULT_MAX_IMAGE_PIXELS)).resize(target.width, target.height, {
    fit: 'fill',
    kernel: 'linear',
  })
  return toRgb(file, pipeline, target)
}
