/**
 * Mask files. Reading: any image sharp reads (and BMP), EXIF orientation applied; a pixel is
 * foreground when any colour channel is non-zero (PerSeg's RGB (128,0,0), 0/255 greyscale,
 * palette PNGs, 16-bit label maps) and it is not fully transparent. Writing: binary masks as
 * PNG in one colour, and label maps (instance or semantic ids per pixel) as 8-bit greyscale PNG,
 * or 16-bit when a label exceeds 255. Files are written to a temporary name and renamed.
 */
import { readFile } from 'node:fs/promises'
import sharp, { type Sharp } from 'sharp'
import type { BinaryMask } from '../../../common/mask/index'
import { writeAtomicWith } from '../fs/atomicWrite'
import { decodeBmp, isBmp } from './bmp'

export class MaskFileError extends Error {
  override readonly name = 'MaskFileError'
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`)
  }
}

/** PerSeg's own foreground colour. */
export const PERSEG_FOREGROUND: readonly [number, number, number] = [128, 0, 0]

export async function readMaskImage(file: string): Promise<BinaryMask> {
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (error) {
    throw new MaskFileError(file, `cannot read (${error instanceof Error ? error.message : String(error)})`)
  }
  try {
    if (isBmp(bytes)) {
      const { width, height, rgb } = decodeBmp(bytes)
      return nonZero(width, height, rgb, 3, false)
    }
    const metadata = await sharp(bytes).metadata()
    const sixteen = metadata.depth === 'ushort'
    let pipeline = sharp(bytes, { limitInputPixels: false }).rotate()
    if (sixteen) pipeline = pipeline.toColourspace((metadata.channels ?? 1) <= 2 ? 'grey16' : 'rgb16')
    const { data, info } = await pipeline.raw({ depth: sixteen ? 'ushort' : 'uchar' }).toBuffer({ resolveWithObject: true })
    const pixels = sixteen ? new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    return nonZero(info.width, info.height, pixels, info.channels, info.hasAlpha)
  } catch (error) {
    if (error instanceof MaskFileError) throw error
    throw new MaskFileError(file, `not a readable mask image (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`)
  }
}

function nonZero(width: number, height: number, pixels: Uint8Array | Uint16Array, channels: number, hasAlpha: boolean): BinaryMask {
  const colours = hasAlpha ? channels - 1 : channels
  const data = new Uint8Array(width * height)
  for (let i = 0, p = 0; i < data.length; i++, p += channels) {
    if (hasAlpha && pixels[p + colours] === 0) continue
    let any = 0
    for (let c = 0; c < colours; c++) any |= pixels[p + c]!
    data[i] = any !== 0 ? 1 : 0
  }
  return { width, height, data }
}

/** A binary mask as an RGB PNG: `colour` on the foreground, black elsewhere. */
export async function writeMaskPng(file: string, mask: BinaryMask, colour: readonly [number, number, number] = PERSEG_FOREGROUND): Promise<void> {
  const rgb = new Uint8Array(mask.width * mask.height * 3)
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i]) rgb.set(colour, i * 3)
  await writeAtomically(file, sharp(rgb, { raw: { width: mask.width, height: mask.height, channels: 3 } }).png())
}

/** A label map (0 = background, 1..n = instance or category) as greyscale PNG, 16-bit when needed. */
export async function writeLabelPng(file: string, width: number, height: number, labels: Uint16Array): Promise<void> {
  let max = 0
  for (let i = 0; i < labels.length; i++) if (labels[i]! > max) max = labels[i]!
  const image = max > 255 ? sharp(labels, { raw: { width, height, channels: 1 } }).toColourspace('grey16') : sharp(Uint8Array.from(labels), { raw: { width, height, channels: 1 } })
  await writeAtomically(file, image.png())
}

/** Reads a label PNG back (8- or 16-bit greyscale) as one value per pixel. */
export async function readLabelPng(file: string): Promise<{ width: number; height: number; labels: Uint16Array }> {
  const metadata = await sharp(file).metadata()
  const sixteen = metadata.depth === 'ushort'
  const { data, info } = await sharp(file)
    .toColourspace(sixteen ? 'grey16' : 'b-w')
    .raw({ depth: sixteen ? 'ushort' : 'uchar' })
    .toBuffer({ resolveWithObject: true })
  const labels = sixteen ? new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) : Uint16Array.from(data)
  return { width: info.width, height: info.height, labels }
}

/** A sharp pipeline's output, written aside and renamed (fs/atomicWrite). */
export async function writeAtomically(file: string, image: Sharp): Promise<void> {
  await writeAtomicWith(file, async (temporary) => {
    await image.toFile(temporary)
  })
}
