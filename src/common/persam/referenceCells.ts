/**
 * Which of the 64x64 feature cells a reference mask selects (docs/persam-algorithm.md, section 1).
 *
 * The reference resizes the mask like the image, pads it, samples the 2x2 pixels at the centre of
 * each 16x16 cell and keeps cells whose samples are foreground. We compute each canvas pixel's
 * coverage by area-averaging the binary mask over the original pixels it covers (close to the
 * antialiased resize the reference uses for images) and select a cell when the mean coverage of
 * its four centre pixels is at least 0.5: the "0/255 mask" behaviour the reference recommends.
 * A mask too small to select any cell falls back to the cells it covers most, instead of the
 * reference's NaN.
 */
import { SAM_CELL, SAM_GRID, type SamGeometry } from '../sam/geometry'
import { PersamInputError } from './features'

export interface MaskLike {
  readonly width: number
  readonly height: number
  /** Row-major, non-zero = foreground. */
  readonly data: Uint8Array
}

export interface ReferenceCells {
  /** 4096 entries, 1 where the cell is part of the target. */
  readonly selection: Uint8Array
  readonly count: number
  /** True when no cell met the 0.5 rule and the best-covered cells were taken instead. */
  readonly usedFallback: boolean
}


/** Summed-area table of the mask: (W+1) x (H+1), so any axis-aligned box sums in O(1). */
function integral(mask: MaskLike): Float64Array {
  const w = mask.width
  const table = new Float64Array((w + 1) * (mask.height + 1))
  for (let y = 0; y < mask.height; y++) {
    let rowSum = 0
    for (let x = 0; x < w; x++) {
      rowSum += mask.data[y * w + x] ? 1 : 0
      table[(y + 1) * (w + 1) + x + 1] = table[y * (w + 1) + x + 1]! + rowSum
    }
  }
  return table
}

export function selectReferenceCells(mask: MaskLike, geometry: SamGeometry): ReferenceCells {
  const { originalWidth: width, originalHeight: height, resizedWidth, resizedHeight } = geometry
  if (mask.width !== width || mask.height !== height) {
    throw new PersamInputError(`reference mask is ${mask.width}x${mask.height} but its image is ${width}x${height}`)
  }
  const table = integral(mask)
  const stride = width + 1
  /** Mean of the mask over the original pixels behind canvas span [c0, c1) x [r0, r1). */
  const coverage = (r0: number, r1: number, c0: number, c1: number): number => {
    if (r0 >= resizedHeight || c0 >= resizedWidth) return 0
    const sy = height / resizedHeight
    const sx = width / resizedWidth
    const y0 = Math.min(height - 1, Math.floor(r0 * sy))
    const y1 = Math.max(y0 + 1, Math.min(height, Math.ceil(Math.min(r1, resizedHeight) * sy)))
    const x0 = Math.min(width - 1, Math.floor(c0 * sx))
    const x1 = Math.max(x0 + 1, Math.min(width, Math.ceil(Math.min(c1, resizedWidth) * sx)))
    const sum = table[y1 * stride + x1]! - table[y0 * stride + x1]! - table[y1 * stride + x0]! + table[y0 * stride + x0]!
    const area = ((Math.min(r1, resizedHeight) - r0) / (r1 - r0)) * ((Math.min(c1, resizedWidth) - c0) / (c1 - c0))
    return (sum / ((y1 - y0) * (x1 - x0))) * area
  }

  const selection = new Uint8Array(SAM_GRID * SAM_GRID)
  let count = 0
  for (let i = 0; i < SAM_GRID; i++) {
    for (let j = 0; j < SAM_GRID; j++) {
      const r = i * SAM_CELL + 7
      const c = j * SAM_CELL + 7
      const centre =
        (coverage(r, r + 1, c, c + 1) + coverage(r, r + 1, c + 1, c + 2) + coverage(r + 1, r + 2, c, c + 1) + coverage(r + 1, r + 2, c + 1, c + 2)) / 4
      if (centre >= 0.5) {
        selection[i * SAM_GRID + j] = 1
        count++
      }
    }
  }
  if (count > 0) return { selection, count, usedFallback: false }

  let best = 0
  const cellCoverage = new Float64Array(SAM_GRID * SAM_GRID)
  for (let i = 0; i < SAM_GRID; i++) {
    for (let j = 0; j < SAM_GRID; j++) {
      const value = coverage(i * SAM_CELL, (i + 1) * SAM_CELL, j * SAM_CELL, (j + 1) * SAM_CELL)
      cellCoverage[i * SAM_GRID + j] = value
      if (value > best) best = value
    }
  }
  if (best <= 0) throw new PersamInputError('the reference mask is empty: mark the object before propagating')
  for (let k = 0; k < cellCoverage.length; k++) {
    if (cellCoverage[k]! >= best * (1 - 1e-9)) {
      selection[k] = 1
      count++
    }
  }
  return { selection, count, usedFallback: true }
}
