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
import { SAM_CANVAS, SAM_GRID, SAM_LOW_RES, type SamGeometry } from '../sam/geometry'
import { bilinearTaps, composeTaps, cropTaps, gramMatrix, inputMass, type Taps } from './taps'

/** Columns per unit of the bounded extremum search. */
const BLOCK = 32

const LOW_RES_TAPS = composeTaps(bilinearTaps(SAM_LOW_RES, SAM_CANVAS), bilinearTaps(SAM_GRID, SAM_LOW_RES))
const tapsCache = new Map<string, Taps>()

/** Per-axis weights from full-resolution pixels to the 64-cell grid, as the reference computes them. */
export function fullResolutionTaps(resized: number, original: number): Taps {
  const key = `${resized}:${original}`
  let taps = tapsCache.get(key)
  if (!taps) {
    taps = composeTaps(bilinearTaps(resized, original), cropTaps(LOW_RES_TAPS, resized))
    // Photos of one dataset share a few sizes; keep the most recent ones.
    if (tapsCache.size >= 32) tapsCache.delete(tapsCache.keys().next().value!)
    tapsCache.set(key, taps)
  }
  return taps
}

const tapsMomentsCache = new WeakMap<Taps, { mass: Float64Array; gram: Float64Array }>()

/** Each grid index's total weight and the taps' Gram matrix: fixed per image size, so computed once. */
function tapsMoments(taps: Taps): { mass: Float64Array; gram: Float64Array } {
  let moments = tapsMomentsCache.get(taps)
  if (!moments) {
    moments = { mass: inputMass(taps, SAM_GRID), gram: gramMatrix(taps, SAM_GRID) }
    tapsMomentsCache.set(taps, moments)
  }
  return moments
}

/** columns[x][a] = sum over x's taps of weight * grid[a][tap]; a plain function so V8 optimises it once. */
function accumulateColumns(taps: Taps, gridByColumn: Float64Array, columns: Float64Array, width: number): void {
  const { offsets, index, weight } = taps
  for (let x = 0; x < width; x++) {
    const out = x * SAM_GRID
    for (let k = offsets[x]!; k < offsets[x + 1]!; k++) {
      const w = weight[k]!
      const source = index[k]! * SAM_GRID
      for (let a = 0; a < SAM_GRID; a++) columns[out + a]! += w * gridByColumn[source + a]!
    }
  }
}

export interface MapPoint {
  readonly x: number
  readonly y: number
  readonly value: number
}

/**
 * Pixels excluded from extrema search (e.g. masks already tried), as a 0/1 mask of any size:
 * image pixel (x, y) is excluded when the mask pixel its centre falls in is set, so the decoder's
 * reduced-size masks need no upscaling.
 */
export type Exclusion = { readonly width: number; readonly height: number; readonly data: Uint8Array } | null

export class LocationMap {
  readonly rowTaps: Taps
  readonly colTaps: Taps
  /** (S x Wx^T)^T: for each full-resolution column x, the 64 grid rows' values there (W x 64). */
  private readonly columns: Float64Array
  private blockMax: Float64Array | null = null
  private blockMin: Float64Array | null = null

  constructor(
    /** Row-major 64x64 cosine similarities. */
    readonly grid: Float32Array,
    readonly geometry: SamGeometry,
  ) {
    if (grid.length !== SAM_GRID * SAM_GRID) throw new RangeError(`location grid must have ${SAM_GRID * SAM_GRID} values, got ${grid.length}`)
    this.rowTaps = fullResolutionTaps(geometry.resizedHeight, geometry.originalHeight)
    this.colTaps = fullResolutionTaps(geometry.resizedWidth, geometry.originalWidth)
    const width = geometry.originalWidth
    // Stored column-major (x outer, grid row inner): building it and reading a pixel's few grid
    // rows are both contiguous.
    const columns = new Float64Array(SAM_GRID * width)
    this.columns = columns
    const gridByColumn = new Float64Array(SAM_GRID * SAM_GRID)
    for (let a = 0; a < SAM_GRID; a++) for (let b = 0; b < SAM_GRID; b++) gridByColumn[b * SAM_GRID + a] = grid[a * SAM_GRID + b]!
    accumulateColumns(this.colTaps, gridByColumn, columns, width)
  }

  /** The full-resolution map's value at pixel (x, y). */
  valueAt(x: number, y: number): number {
    const { offsets, index, weight } = this.rowTaps
    let sum = 0
    for (let k = offsets[y]!; k < offsets[y + 1]!; k++) sum += weight[k]! * this.columns[x * SAM_GRID + index[k]!]!
    return sum
  }

  /**
   * The maximum (or minimum) of the full-resolution map, first occurrence in row-major order on
   * ties, as torch's argmax/argmin return it. The image is cut into units of one row by
   * BLOCK columns; a unit's values are bounded by the extremes of the grid rows it mixes over its
   * columns (weights are non-negative and sum to one). Only units whose bound can still beat the
   * best value found are evaluated exactly, starting from the most promising one.
   */
  extreme(kind: 'max' | 'min', exclude: Exclusion = null): MapPoint | null {
    const sign = kind === 'max' ? 1 : -1
    const { originalWidth: width, originalHeight: height } = this.geometry
    const blocks = Math.ceil(width / BLOCK)
    const blockBest = this.blockExtremes(sign, blocks)
    const { offsets, index, weight } = this.rowTaps

    // Level 1: a bound per row from each grid row's best block.
    const gridRowBest = new Float64Array(SAM_GRID).fill(-Infinity)
    for (let a = 0; a < SAM_GRID; a++) for (let b = 0; b < blocks; b++) gridRowBest[a] = Math.max(gridRowBest[a]!, blockBest[a * blocks + b]!)
    const rowBound = new Float64Array(height)
    let topRow = 0
    for (let y = 0; y < height; y++) {
      let bound = 0
      for (let k = offsets[y]!; k < offsets[y + 1]!; k++) bound += weight[k]! * gridRowBest[index[k]!]!
      rowBound[y] = bound
      if (bound > rowBound[topRow]!) topRow = y
    }

    // Level 2: a bound per block of a promising row; exact values only where a bound can win.
    let excludedColumns: Int32Array | null = null
    if (exclude) {
      excludedColumns = new Int32Array(width)
      for (let x = 0; x < width; x++) excludedColumns[x] = Math.min(exclude.width - 1, Math.floor(((x + 0.5) * exclude.width) / width))
    }
    const blockBound = new Float64Array(blocks)
    let best: MapPoint | null = null
    let bestScore = -Infinity
    // Bounds and exact values sum in different orders; a tiny slack keeps the search exact.
    const slack = 1e-12
    const searchRow = (y: number): void => {
      const start = offsets[y]!
      const end = offsets[y + 1]!
      blockBound.fill(0)
      for (let k = start; k < end; k++) {
        const w = weight[k]!
        const source = index[k]! * blocks
        for (let b = 0; b < blocks; b++) blockBound[b]! += w * blockBest[source + b]!
      }
      const maskRow = exclude ? Math.min(exclude.height - 1, Math.floor(((y + 0.5) * exclude.height) / height)) * exclude.width : 0
      for (let b = 0; b < blocks; b++) {
        if (blockBound[b]! < bestScore - slack) continue
        const xEnd = Math.min(width, (b + 1) * BLOCK)
        for (let x = b * BLOCK; x < xEnd; x++) {
          if (excludedColumns && exclude!.data[maskRow + excludedColumns[x]!]) continue
          let value = 0
          for (let k = start; k < end; k++) value += weight[k]! * this.columns[x * SAM_GRID + index[k]!]!
          const score = sign * value
          if (score > bestScore || (score === bestScore && best && (y < best.y || (y === best.y && x < best.x)))) {
            bestScore = score
            best = { x, y, value }
          }
        }
      }
    }
    searchRow(topRow)
    for (let y = 0; y < height; y++) if (y !== topRow && rowBound[y]! >= bestScore - slack) searchRow(y)
    return best
  }

  /** Per grid row and column block, the largest signed value of the grid row's column profile. */
  private blockExtremes(sign: 1 | -1, blocks: number): Float64Array {
    const cached = sign === 1 ? this.blockMax : this.blockMin
    if (cached) return cached
    const width = this.geometry.originalWidth
    const out = new Float64Array(SAM_GRID * blocks).fill(-Infinity)
    for (let x = 0; x < width; x++) {
      const block = Math.floor(x / BLOCK)
      const base = x * SAM_GRID
      for (let a = 0; a < SAM_GRID; a++) {
        const v = sign * this.columns[base + a]!
        if (v > out[a * blocks + block]!) out[a * blocks + block] = v
      }
    }
    if (sign === 1) this.blockMax = out
    else this.blockMin = out
    return out
  }

  /** Mean and unbiased standard deviation over all H*W pixels, in closed form. */
  moments(): { mean: number; std: number } {
    const { originalWidth: width, originalHeight: height } = this.geometry
    const count = width * height
    const { mass: rowMass, gram: gy } = tapsMoments(this.rowTaps)
    const { mass: colMass, gram: gx } = tapsMoments(this.colTaps)
    let sum = 0
    for (let a = 0; a < SAM_GRID; a++) for (let b = 0; b < SAM_GRID; b++) sum += rowMass[a]! * colMass[b]! * this.grid[a * SAM_GRID + b]!
    // sum of squares = sum over a,a' of Gy[a][a'] * (S Gx S^T)[a][a']
    const sgx = new Float64Array(SAM_GRID * SAM_GRID)
    for (let a = 0; a < SAM_GRID; a++) {
      for (let c = 0; c < SAM_GRID; c++) {
        let acc = 0
        for (let b = 0; b < SAM_GRID; b++) acc += this.grid[a * SAM_GRID + b]! * gx[b * SAM_GRID + c]!
        sgx[a * SAM_GRID + c] = acc
      }
    }
    let sumSquares = 0
    for (let a = 0; a < SAM_GRID; a++) {
      for (let a2 = 0; a2 < SAM_GRID; a2++) {
        const g = gy[a * SAM_GRID + a2]!
        if (g === 0) continue
        let acc = 0
        for (let c = 0; c < SAM_GRID; c++) acc += sgx[a * SAM_GRID + c]! * this.grid[a2 * SAM_GRID + c]!
        sumSquares += g * acc
      }
    }
    const mean = sum / count
    const variance = Math.max(0, (sumSquares - count * mean * mean) / (count - 1))
    return { mean, std: Math.sqrt(variance) }
  }
}
