/** Raised for any malformed mask, RLE or polygon; the message names the offending field. */
export class MaskFormatError extends Error {
  override readonly name = 'MaskFormatError'
}

/** Largest pixel count accepted: counts and deltas then stay inside 32-bit integer arithmetic. */
export const MAX_MASK_PIXELS = 2 ** 31 - 1

/** Throws unless `value` is an integer in [min, max]; `field` names it in the message. */
export function assertIntegerInRange(value: unknown, min: number, max: number, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new MaskFormatError(`${field} must be an integer, got ${describe(value)}`)
  }
  if (value < min || value > max) throw new MaskFormatError(`${field} must be between ${min} and ${max}, got ${value}`)
}

/** Returns width and height once both are positive integers whose product fits MAX_MASK_PIXELS. */
export function checkedSize(width: unknown, height: unknown, field = 'mask'): { width: number; height: number } {
  assertIntegerInRange(width, 1, MAX_MASK_PIXELS, `${field} width`)
  assertIntegerInRange(height, 1, MAX_MASK_PIXELS, `${field} height`)
  if (width * height > MAX_MASK_PIXELS) {
    throw new MaskFormatError(`${field} size ${width}x${height} has ${width * height} pixels; at most ${MAX_MASK_PIXELS} are supported`)
  }
  return { width, height }
}

/** A short, safe rendering of an arbitrary value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value)
  if (Array.isArray(value)) return `an array of length ${value.length}`
  return typeof value
}
