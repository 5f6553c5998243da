/**
 * Mask logits after the decoder: torch-exact bilinear resizing (interpolate, align_corners=False,
 * no antialiasing), SAM's postprocess_masks (256 -> 1024, crop the padding, -> original size),
 * thresholding at logit > 0, and an upscale-and-threshold that never allocates float logits at
 * the target size (for masks requested at a reduced size on very large images).
 */
import type { FusedMultimask, FusionWeights, MaskExtent } from './port'
import { SAM_CANVAS, SAM_LOW_RES, type SamGeometry, type Size } from './geometry'

/** Source taps of one axis: out[i] = w0[i] * in[i0[i]] + w1[i] * in[i1[i]]. */
interface AxisTaps {
  readonly i0: Int32Array
  readonly i1: Int32Array
  readonly w0: Float32Array
  readonly w1: Float32Array
}

function axisTaps(inSize: number, outSize: number): AxisTaps {
  const scale = inSize / outSize
  const taps = { i0: new Int32Array(outSize), i1: new Int32Array(outSize), w0: new Float32Array(outSize), w1: new Float32Array(outSize) }
  for (let i = 0; i < outSize; i++) {
    const source = Math.max(0, scale * (i + 0.5) - 0.5)
    const lower = Math.min(Math.floor(source), inSize - 1)
    const lambda = source - lower
    taps.i0[i] = lower
    taps.i1[i] = Math.min(lower + 1, inSize - 1)
    taps.w0[i] = 1 - lambda
    taps.w1[i] = lambda
  }
  return taps
}

function checkPlane(values: Float32Array, width: number, height: number, what: string): void {
  if (values.length < width * height) throw new Error(`${what} has ${values.length} values, expected at least ${width}x${height}`)
}

/**
 * Bilinear resize of one plane (row-major, row stride `source.width`). `crop` restricts the source
 * to its top-left region first, as SAM does to drop the padding.
 */
export function resizeBilinear(values: Float32Array, source: Size, target: Size, crop: Size = source): Float32Array {
  checkPlane(values, source.width, source.height, 'resize input')
  if (crop.width > source.width || crop.height > source.height) throw new Error('crop is larger than the source')
  const columns = axisTaps(crop.width, target.width)
  const rows = axisTaps(crop.height, target.height)
  const out = new Float32Array(target.width * target.height)
  for (let y = 0; y < target.height; y++) {
    const top = rows.i0[y]! * source.width
    const bottom = rows.i1[y]! * source.width
    const wTop = rows.w0[y]!
    const wBottom = rows.w1[y]!
    const row = y * target.width
    for (let x = 0; x < target.width; x++) {
      const left = columns.i0[x]!
      const right = columns.i1[x]!
      const upper = columns.w0[x]! * values[top + left]! + columns.w1[x]! * values[top + right]!
      const lower = columns.w0[x]! * values[bottom + left]! + columns.w1[x]! * values[bottom + right]!
      out[row + x] = wTop * upper + wBottom * lower
    }
  }
  return out
}

/**
 * SAM's postprocess_masks for one 256x256 plane of logits (or a similarity map): upsample to the
 * 1024 canvas, crop to the resized image, resize to `output` (the original size by default).
 */
export function postprocessLowRes(lowRes: Float32Array, geometry: SamGeometry, output?: Size): Float32Array {
  const lowResSize = { width: SAM_LOW_RES, height: SAM_LOW_RES }
  const canvas = resizeBilinear(lowRes, lowResSize, { width: SAM_CANVAS, height: SAM_CANVAS })
  const crop = { width: geometry.resizedWidth, height: geometry.resizedHeight }
  const target = output ?? { width: geometry.originalWidth, height: geometry.originalHeight }
  return resizeBilinear(canvas, { width: SAM_CANVAS, height: SAM_CANVAS }, target, crop)
}

/** 1 where logit > 0 (SAM's mask_threshold), else 0. */
export function thresholdLogits(logits: Float32Array, offset = 0, length = logits.length - offset): Uint8Array {
  const mask = new Uint8Array(length)
  for (let i = 0; i < length; i++) mask[i] = logits[offset + i]! > 0 ? 1 : 0
  return mask
}

/** Grows a mask's area and inclusive bounds one row at a time, from each row's foreground span. */
class ExtentBuilder {
  private area = 0
  private x0: number
  private y0 = -1
  private x1 = -1
  private y1 = -1

  constructor(width: number) {
    this.x0 = width
  }

  /** Row y has `count` foreground pixels, the first at `first` and the last at `last` (first < 0: none). */
  addRow(y: number, first: number, last: number, count: number): void {
    if (first < 0) return
    this.area += count
    if (first < this.x0) this.x0 = first
    if (last > this.x1) this.x1 = last
    if (this.y0 < 0) this.y0 = y
    this.y1 = y
  }

  extent(): MaskExtent {
    const { area, x0, y0, x1, y1 } = this
    return area > 0 ? { area, x0, y0, x1, y1 } : { area: 0, x0: 0, y0: 0, x1: -1, y1: -1 }
  }
}

/** Area and inclusive bounds of each plane's foreground (logit > 0); zeros and an empty box for empty planes. */
export function maskExtents(logits: Float32Array, count: number, width: number, height: number): MaskExtent[] {
  const plane = width * height
  const extents: MaskExtent[] = []
  for (let k = 0; k < count; k++) {
    const builder = new ExtentBuilder(width)
    for (let y = 0; y < height; y++) {
      const row = k * plane + y * width
      let first = -1
      let last = -1
      let area = 0
      for (let x = 0; x < width; x++) {
        if (logits[row + x]! > 0) {
          if (first < 0) first = x
          last = x
          area++
        }
      }
      builder.addRow(y, first, last, area)
    }
    extents.push(builder.extent())
  }
  return extents
}

/**
 * Bilinearly upscales one plane of logits to `target` and thresholds it at > 0, row by row: the
 * only allocation at the target size is the 1-byte-per-pixel mask.
 */
export function upscaleLogitsToMask(logits: Float32Array, source: Size, target: Size, offset = 0): Uint8Array {
  checkPlane(logits.subarray(offset), source.width, source.height, 'logits')
  const columns = axisTaps(source.width, target.width)
  const rows = axisTaps(source.height, target.height)
  const mask = new Uint8Array(target.width * target.height)
  // Horizontally interpolated source rows, computed once each (consecutive output rows share them).
  const cache = [new Float32Array(target.width), new Float32Array(target.width)]
  const cachedRow = [-1, -1]
  const horizontal = (sourceRow: number): Float32Array => {
    const hit = cachedRow.indexOf(sourceRow)
    if (hit >= 0) return cache[hit]!
    const slot = cachedRow[0]! < cachedRow[1]! ? 0 : 1
    const line = cache[slot]!
    const base = offset + sourceRow * source.width
    for (let x = 0; x < target.width; x++) line[x] = columns.w0[x]! * logits[base + columns.i0[x]!]! + columns.w1[x]! * logits[base + columns.i1[x]!]!
    cachedRow[slot] = sourceRow
    return line
  }
  for (let y = 0; y < target.height; y++) {
    const top = horizontal(rows.i0[y]!)
    const bottom = horizontal(rows.i1[y]!)
    const wTop = rows.w0[y]!
    const wBottom = rows.w1[y]!
    const row = y * target.width
    for (let x = 0; x < target.width; x++) mask[row + x] = wTop * top[x]! + wBottom * bottom[x]! > 0 ? 1 : 0
  }
  return mask
}

/**
 * w0 * plane1 + w1 * plane2 + w2 * plane3 of a 4-mask decoder output: the fused low-res logits,
 * and the fused full-size mask's extent measured in one pass without building that mask.
 */
export function fuseMultimask(weights: FusionWeights, masks: Float32Array, lowResLogits: Float32Array, width: number, height: number): FusedMultimask {
  const [w0, w1, w2] = weights
  const plane = width * height
  if (masks.length < 4 * plane) throw new RangeError(`fusion needs 4 mask planes of ${width}x${height}, got ${masks.length} values`)
  const low = SAM_LOW_RES * SAM_LOW_RES
  const fusedLowRes = new Float32Array(low)
  for (let i = 0; i < low; i++) fusedLowRes[i] = w0 * lowResLogits[low + i]! + w1 * lowResLogits[2 * low + i]! + w2 * lowResLogits[3 * low + i]!
  const builder = new ExtentBuilder(width)
  for (let y = 0; y < height; y++) {
    let first = -1
    let last = -1
    let area = 0
    for (let x = 0, i = y * width; x < width; x++, i++) {
      // fround: the same verdict as thresholding a Float32Array of fused logits.
      if (Math.fround(w0 * masks[plane + i]! + w1 * masks[2 * plane + i]! + w2 * masks[3 * plane + i]!) > 0) {
        if (first < 0) first = x
        last = x
        area++
      }
    }
    builder.addRow(y, first, last, area)
  }
  return { lowResLogits: fusedLowRes, extent: builder.extent() }
}
