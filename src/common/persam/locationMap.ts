/**
 * PerSAM's location confidence map at full image resolution, without materialising it.
 *
 * The reference upsamples the 64x64 cosine-similarity map x4 to 256, post-processes it like
 * SAM's logits (to 1024, crop to the resized image, to H x W) and then takes argmax/argmin, a
 * z-score over all H*W pixels, and a 64x64 resample of that. On a 12-megapixel photo that is a
 * 48 MB float map per step. All three resizes are linear and separable, so every full-resolution
 * pixel is a fixed sparse combination of the 64x64 values: we compose the per-axis weights once
 * and evaluate only what is needed — exact extrema by bounded search over rows, mean and variance
 * in closed form — with the same results as materialising the map.
 */
import { bilinearTaps, composeTaps, cropTaps, gramMatrix, inputMass, type Taps } from './taps'

export const GRID = 64
const LOW_RES = 256
const CANVAS = 1024

export interface ImageGeometry {
  /** Original image size, after EXIF orientation. */
  readonly originalWidth: number
  readonly originalHeight: number
  /** The longest-side-1024 resize (newW, newH in the reference). */
  readonly resizedWidth: number
  readonly resizedHeight: number
}

/** Per-axis weights from full-resolution pixels to the 64-cell grid, as the reference computes them. */
export function fullResolutionTaps(resized: number, original: number): Taps {
  const lowRes = composeTaps(bilinearTaps(LOW_RES, CANVAS), bilinearTaps(GRID, LOW_RES))
  return composeTaps(bilinearTaps(resized, original), cropTaps(lowRes, resized))
}

export interface MapPoint {
  readonly x: number
  readonly y: number
  readonly value: number
}

/** Pixels excluded from extrema search (e.g. instances already found), as a row-major 0/1 mask. */
export type Exclusion = Uint8Array | null

export class LocationMap {
  readonly rowTaps: Taps
  readonly colTaps: Taps
  /** S x Wx^T: for each grid row a, the map's value along full-resolution columns (64 x W). */
  private readonly columnsByGridRow: Float64Array

  constructor(
    /** Row-major 64x64 cosine similarities. */
    readonly grid: Float32Array,
    readonly geometry: ImageGeometry,
  ) {
    if (grid.length !== GRID * GRID) throw new RangeError(`location grid must have ${GRID * GRID} values, got ${grid.length}`)
    this.rowTaps = fullResolutionTaps(geometry.resizedHeight, geometry.originalHeight)
    this.colTaps = fullResolutionTaps(geometry.resizedWidth, geometry.originalWidth)
    const width = geometry.originalWidth
    this.columnsByGridRow = new Float64Array(GRID * width)
    const { offsets, index, weight } = this.colTaps
    for (let a = 0; a < GRID; a++) {
      const row = a * GRID
      const out = a * width
      for (let x = 0; x < width; x++) {
        let sum = 0
        for (let k = offsets[x]!; k < offsets[x + 1]!; k++) sum += weight[k]! * grid[row + index[k]!]!
        this.columnsByGridRow[out + x] = sum
      }
    }
  }

  /** The full-resolution map's value at pixel (x, y). */
  valueAt(x: number, y: number): number {
    const { offsets, index, weight } = this.rowTaps
    const width = this.geometry.originalWidth
    let sum = 0
    for (let k = offsets[y]!; k < offsets[y + 1]!; k++) sum += weight[k]! * this.columnsByGridRow[index[k]! * width + x]!
    return sum
  }

  /** One full-resolution row, written into `out` (length W). */
  row(y: number, out: Float64Array): Float64Array {
    const { offsets, index, weight } = this.rowTaps
    const width = this.geometry.originalWidth
    out.fill(0)
    for (let k = offsets[y]!; k < offsets[y + 1]!; k++) {
      const w = weight[k]!
      const base = index[k]! * width
      for (let x = 0; x < width; x++) out[x]! += w * this.columnsByGridRow[base + x]!
    }
    return out
  }

  /**
   * The maximum (or minimum) of the full-resolution map, first occurrence in row-major order on
   * ties, as torch's argmax/argmin return it. Each row's extreme is bounded by the extremes of the
   * grid rows it mixes (weights are non-negative and sum to one), so rows are evaluated exactly in
   * bound order until no remaining row can beat the best value found.
   */
  extreme(kind: 'max' | 'min', exclude: Exclusion = null): MapPoint | null {
    const sign = kind === 'max' ? 1 : -1
    const { originalWidth: width, originalHeight: height } = this.geometry
    const gridRowBest = new Float64Array(GRID)
    for (let a = 0; a < GRID; a++) {
      let best = -Infinity
      const base = a * width
      for (let x = 0; x < width; x++) {
        const v = sign * this.columnsByGridRow[base + x]!
        if (v > best) best = v
      }
      gridRowBest[a] = best
    }
    const bound = new Float64Array(height)
    const { offsets, index, weight } = this.rowTaps
    for (let y = 0; y < height; y++) {
      let b = 0
      for (let k = offsets[y]!; k < offsets[y + 1]!; k++) b += weight[k]! * gridRowBest[index[k]!]!
      bound[y] = b
    }
    const order = Array.from({ length: height }, (_, y) => y).sort((p, q) => bound[q]! - bound[p]! || p - q)
    const buffer = new Float64Array(width)
    let best: MapPoint | null = null
    let bestScore = -Infinity
    // Bounds are computed in a different order of operations than exact values; a tiny slack keeps
    // the search exact under floating-point rounding.
    const slack = 1e-12
    for (const y of order) {
      if (best && bound[y]! < bestScore - slack) break
      this.row(y, buffer)
      for (let x = 0; x < width; x++) {
        if (exclude && exclude[y * width + x]) continue
        const score = sign * buffer[x]!
        if (score > bestScore || (score === bestScore && best && (y < best.y || (y === best.y && x < best.x)))) {
          bestScore = score
          best = { x, y, value: buffer[x]! }
        }
      }
    }
    return best
  }

  /** Mean and unbiased standard deviation over all H*W pixels, in closed form. */
  moments(): { mean: number; std: number } {
    const { originalWidth: width, originalHeight: height } = this.geometry
    const count = width * height
    const rowMass = inputMass(this.rowTaps, GRID)
    const colMass = inputMass(this.colTaps, GRID)
    let sum = 0
    for (let a = 0; a < GRID; a++) for (let b = 0; b < GRID; b++) sum += rowMass[a]! * colMass[b]! * this.grid[a * GRID + b]!
    // sum of squares = sum over a,a' of Gy[a][a'] * (S Gx S^T)[a][a']
    const gy = gramMatrix(this.rowTaps, GRID)
    const gx = gramMatrix(this.colTaps, GRID)
    const sgx = new Float64Array(GRID * GRID)
    for (let a = 0; a < GRID; a++) {
      for (let c = 0; c < GRID; c++) {
        let acc = 0
        for (let b = 0; b < GRID; b++) acc += this.grid[a * GRID + b]! * gx[b * GRID + c]!
        sgx[a * GRID + c] = acc
      }
    }
    let sumSquares = 0
    for (let a = 0; a < GRID; a++) {
      for (let a2 = 0; a2 < GRID; a2++) {
        const g = gy[a * GRID + a2]!
        if (g === 0) continue
        let acc = 0
        for (let c = 0; c < GRID; c++) acc += sgx[a * GRID + c]! * this.grid[a2 * GRID + c]!
        sumSquares += g * acc
      }
    }
    const mean = sum / count
    const variance = Math.max(0, (sumSquares - count * mean * mean) / (count - 1))
    return { mean, std: Math.sqrt(variance) }
  }
}
