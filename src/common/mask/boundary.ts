/**
 * Boundary IoU (Cheng et al., CVPR 2021), as the authors' reference code computes it: the
 * boundary band of a mask is the mask minus its erosion by a (2d+1) x (2d+1) square, where
 * d = round(dilationRatio * image diagonal) (at least 1, ratio 0.02 by default) and pixels
 * outside the image count as background, so a mask cut by the image border has a band there too.
 * Boundary IoU = |band(G) ∩ band(P)| / |band(G) ∪ band(P)|.
 *
 * Square erosion is separable: a row pass keeps pixels whose horizontal run extends d pixels
 * on both sides, then a column pass does the same vertically with one counter per column, so
 * both passes read rows in order and cost O(pixels) whatever d is.
 */
import { MaskFormatError } from './errors'
import { assertSameSize, type BinaryMask } from './mask'
import { maskOverlap } from './maskOps'

/** The default band width, 2% of the image diagonal, as in the Boundary IoU paper. */
export const BOUNDARY_DILATION_RATIO = 0.02

/** Erosion by a (2r+1)^2 square; outside the image counts as `outside` (0 erodes from the border). */
export function erodeMask(mask: BinaryMask, radius: number, outside: 0 | 1 = 0): BinaryMask {
  if (!Number.isInteger(radius) || radius < 0) throw new MaskFormatError(`erosion radius must be a non-negative integer, got ${radius}`)
  const { width, height, data } = mask
  if (radius === 0) return { width, height, data: data.slice() }
  const rows = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) {
    const row = y * width
    let x = 0
    while (x < width) {
      if (data[row + x] === 0) {
        x++
        continue
      }
      let end = x
      while (end < width && data[row + end] !== 0) end++
      // Run [x, end): pixels with `radius` foreground (or an allowed border) on both sides survive.
      const from = x === 0 && outside === 1 ? 0 : x + radius
      const to = end === width && outside === 1 ? width : end - radius
      if (to > from) rows.fill(1, row + from, row + to)
      x = end
    }
  }
  const out = new Uint8Array(width * height)
  // run[x]: consecutive foreground rows ending at the current row in column x (borders as `outside`).
  const run = new Int32Array(width).fill(outside === 1 ? radius : 0)
  const needed = 2 * radius + 1
  for (let y = 0; y < height + radius; y++) {
    const row = y * width
    const target = (y - radius) * width
    for (let x = 0; x < width; x++) {
      const value = y < height ? rows[row + x]! : outside
      run[x] = value !== 0 ? run[x]! + 1 : 0
      if (y >= radius && run[x]! >= needed) out[target + x] = 1
    }
  }
  return { width, height, data: out }
}

/** Dilation by a (2r+1)^2 square (outside the image never adds foreground). */
export function dilateMask(mask: BinaryMask, radius: number): BinaryMask {
  const inverted = complement(mask)
  return complement(erodeMask(inverted, radius, 1))
}

/** Boundary band width in pixels for a width x height image: max(1, round(ratio * diagonal)), ties to even as numpy. */
export function boundaryWidth(width: number, height: number, dilationRatio = BOUNDARY_DILATION_RATIO): number {
  if (!(dilationRatio > 0) || !Number.isFinite(dilationRatio)) throw new MaskFormatError(`dilation ratio must be a positive number, got ${dilationRatio}`)
  return Math.max(1, roundHalfEven(dilationRatio * Math.sqrt(width * width + height * height)))
}

/** The inner boundary band: mask pixels within `boundaryWidth` of the background or the image border. */
export function maskBoundary(mask: BinaryMask, dilationRatio = BOUNDARY_DILATION_RATIO): BinaryMask {
  const eroded = erodeMask(mask, boundaryWidth(mask.width, mask.height, dilationRatio))
  const data = new Uint8Array(mask.data.length)
  for (let i = 0; i < data.length; i++) data[i] = mask.data[i]! & (eroded.data[i]! ^ 1)
  return { width: mask.width, height: mask.height, data }
}

/** Intersection and union of the two boundary bands (sum these over images to pool, as for mIoU). */
export function boundaryOverlap(groundTruth: BinaryMask, prediction: BinaryMask, dilationRatio = BOUNDARY_DILATION_RATIO): { intersection: number; union: number } {
  assertSameSize(groundTruth, prediction, 'boundary IoU')
  return maskOverlap(maskBoundary(groundTruth, dilationRatio), maskBoundary(prediction, dilationRatio))
}

/** Boundary IoU of a prediction against a ground truth; 0 when both bands are empty (both masks empty). */
export function boundaryIou(groundTruth: BinaryMask, prediction: BinaryMask, dilationRatio = BOUNDARY_DILATION_RATIO): number {
  const { intersection, union } = boundaryOverlap(groundTruth, prediction, dilationRatio)
  return union === 0 ? 0 : intersection / union
}

function complement(mask: BinaryMask): BinaryMask {
  const data = new Uint8Array(mask.data.length)
  for (let i = 0; i < data.length; i++) data[i] = mask.data[i]! ^ 1
  return { width: mask.width, height: mask.height, data }
}

/** Python's round(): halves go to the even neighbour. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value)
  const fraction = value - floor
  if (fraction > 0.5) return floor + 1
  if (fraction < 0.5) return floor
  return floor % 2 === 0 ? floor : floor + 1
}
