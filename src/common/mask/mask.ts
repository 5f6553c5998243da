/**
 * The binary mask every part of the studio shares: row-major, one byte per pixel, 0 or 1, the
 * layout of the renderer's bitmaps, sharp's raw buffers and the model's logits.
 */
import { MaskFormatError, checkedSize, describe } from './errors'

/** A binary mask, row-major, one byte (0 or 1) per pixel. */
export interface BinaryMask {
  readonly width: number
  readonly height: number
  /** Row-major, `width * height` bytes, each 0 or 1: pixel (x, y) is `data[y * width + x]`. */
  readonly data: Uint8Array
}

/** A single-channel float image (logits, probabilities), row-major like BinaryMask. */
export interface FloatPlane {
  readonly width: number
  readonly height: number
  readonly data: Float32Array
}

/** An all-zero mask of the given size. */
export function createMask(width: number, height: number): BinaryMask {
  checkedSize(width, height)
  return { width, height, data: new Uint8Array(width * height) }
}

/** Wraps row-major 0/1 bytes as a mask after checking size and values (the bytes are not copied). */
export function maskFromData(width: number, height: number, data: Uint8Array): BinaryMask {
  const mask = { width, height, data }
  assertBinaryMask(mask)
  return mask
}

/** Throws a MaskFormatError unless `value` is a well-formed BinaryMask (size, length, 0/1 bytes). */
export function assertBinaryMask(value: unknown, field = 'mask'): asserts value is BinaryMask {
  if (typeof value !== 'object' || value === null) throw new MaskFormatError(`${field} must be an object, got ${describe(value)}`)
  const { width, height, data } = value as Partial<BinaryMask>
  checkedSize(width, height, field)
  if (!(data instanceof Uint8Array)) throw new MaskFormatError(`${field} data must be a Uint8Array, got ${describe(data)}`)
  const expected = (width as number) * (height as number)
  if (data.length !== expected) {
    throw new MaskFormatError(`${field} data has ${data.length} bytes but size ${width}x${height} needs ${expected}`)
  }
  const bad = firstNonBinaryIndex(data)
  if (bad >= 0) {
    const x = bad % (width as number)
    const y = (bad - x) / (width as number)
    throw new MaskFormatError(`${field} data must hold only 0 and 1, found ${data[bad]} at pixel (${x}, ${y})`)
  }
}

/** Index of the first byte that is neither 0 nor 1, or -1. */
export function firstNonBinaryIndex(data: Uint8Array): number {
  for (let i = 0; i < data.length; i++) if (data[i]! > 1) return i
  return -1
}

/** Binarizes 8-bit pixels (e.g. a decoded grayscale PNG): every non-zero byte is foreground. */
export function maskFromNonZero(width: number, height: number, pixels: Uint8Array, channels = 1): BinaryMask {
  checkedSize(width, height)
  if (!Number.isInteger(channels) || channels < 1) throw new MaskFormatError(`channels must be a positive integer, got ${channels}`)
  const count = width * height
  if (pixels.length !== count * channels) {
    throw new MaskFormatError(`pixels has ${pixels.length} bytes but ${width}x${height}x${channels} needs ${count * channels}`)
  }
  const data = new Uint8Array(count)
  if (channels === 1) {
    for (let i = 0; i < count; i++) data[i] = pixels[i] !== 0 ? 1 : 0
  } else {
    for (let i = 0, p = 0; i < count; i++, p += channels) {
      let any = 0
      for (let c = 0; c < channels; c++) any |= pixels[p + c]!
      data[i] = any !== 0 ? 1 : 0
    }
  }
  return { width, height, data }
}

/** One byte per pixel, `foreground` where the mask is set and 0 elsewhere (for grayscale PNG output). */
export function maskToBytes(mask: BinaryMask, foreground = 255): Uint8Array {
  const out = new Uint8Array(mask.data.length)
  const { data } = mask
  for (let i = 0; i < data.length; i++) out[i] = data[i]! * foreground
  return out
}

/** Thresholds logits the way SAM does (`logit > threshold`, default 0); NaN is background. */
export function maskFromLogits(logits: FloatPlane, threshold = 0): BinaryMask {
  checkedSize(logits.width, logits.height, 'logits')
  const { width, height, data: values } = logits
  if (values.length !== width * height) {
    throw new MaskFormatError(`logits data has ${values.length} values but size ${width}x${height} needs ${width * height}`)
  }
  const data = new Uint8Array(values.length)
  for (let i = 0; i < values.length; i++) data[i] = values[i]! > threshold ? 1 : 0
  return { width, height, data }
}

/** Logits for a mask (`+magnitude` inside, `-magnitude` outside), e.g. to seed SAM's mask_input. */
export function maskToLogits(mask: BinaryMask, magnitude = 20): FloatPlane {
  const data = new Float32Array(mask.data.length)
  const { data: bits } = mask
  for (let i = 0; i < bits.length; i++) data[i] = bits[i] === 1 ? magnitude : -magnitude
  return { width: mask.width, height: mask.height, data }
}

/** True when both masks have the same size and pixels. */
export function masksEqual(a: BinaryMask, b: BinaryMask): boolean {
  if (a.width !== b.width || a.height !== b.height) return false
  const x = a.data
  const y = b.data
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false
  return true
}

/** A deep copy of a mask. */
export function cloneMask(mask: BinaryMask): BinaryMask {
  return { width: mask.width, height: mask.height, data: mask.data.slice() }
}

/** Throws unless both masks have the same size; `operation` names the caller in the message. */
export function assertSameSize(a: BinaryMask, b: BinaryMask, operation: string): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new MaskFormatError(`${operation}: mask sizes differ (${a.width}x${a.height} vs ${b.width}x${b.height})`)
  }
}
