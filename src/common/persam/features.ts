/**
 * Target features from SAM image embeddings ([256, 64, 64], channel-major as the encoder emits
 * them) and the cosine-similarity grid of a target against an image.
 */
import { SAM_FEATURES, SAM_GRID } from '../sam/geometry'

const CELLS = SAM_GRID * SAM_GRID

export class PersamInputError extends Error {
  override readonly name = 'PersamInputError'
}

function checkEmbedding(embedding: Float32Array): void {
  if (embedding.length !== SAM_FEATURES * CELLS) {
    throw new PersamInputError(`image embedding must have ${SAM_FEATURES}x${SAM_GRID}x${SAM_GRID} values, got ${embedding.length}`)
  }
}

/** Per-cell L2 norms of an embedding (4096 values). */
export function cellNorms(embedding: Float32Array): Float64Array {
  checkEmbedding(embedding)
  const norms = new Float64Array(CELLS)
  for (let c = 0; c < SAM_FEATURES; c++) {
    const base = c * CELLS
    for (let i = 0; i < CELLS; i++) {
      const v = embedding[base + i]!
      norms[i]! += v * v
    }
  }
  for (let i = 0; i < CELLS; i++) norms[i] = Math.sqrt(norms[i]!)
  return norms
}

export interface TargetFeatures {
  /** Raw mean over the selected cells: the target embedding the PerSAM decoder takes. */
  readonly mean: Float32Array
  /** Per-channel maximum over the selected cells. */
  readonly max: Float32Array
}

/** Mean and max of the raw features over the selected cells (a 0/1 grid of 4096). */
export function targetFeatures(embedding: Float32Array, selection: Uint8Array): TargetFeatures {
  checkEmbedding(embedding)
  const cells: number[] = []
  for (let i = 0; i < CELLS; i++) if (selection[i]) cells.push(i)
  if (cells.length === 0) throw new PersamInputError('the reference selection covers no feature cell')
  const mean = new Float32Array(SAM_FEATURES)
  const max = new Float32Array(SAM_FEATURES)
  for (let c = 0; c < SAM_FEATURES; c++) {
    const base = c * CELLS
    let sum = 0
    let best = -Infinity
    for (const cell of cells) {
      const v = embedding[base + cell]!
      sum += v
      if (v > best) best = v
    }
    mean[c] = sum / cells.length
    max[c] = best
  }
  return { mean, max }
}

export function normalized(vector: Float32Array): Float32Array {
  let norm = 0
  for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!
  norm = Math.sqrt(norm)
  if (!(norm > 0)) throw new PersamInputError('the target feature has zero length')
  const out = new Float32Array(vector.length)
  for (let i = 0; i < vector.length; i++) out[i] = vector[i]! / norm
  return out
}

/** PerSAM-F's target feature: L2-normalised (max + mean) / 2. */
export function maxMeanFeature(features: TargetFeatures): Float32Array {
  const blend = new Float32Array(SAM_FEATURES)
  for (let c = 0; c < SAM_FEATURES; c++) blend[c] = (features.max[c]! + features.mean[c]!) / 2
  return normalized(blend)
}

/** Few-shot: the mean of several L2-normalised target features, normalised again. */
export function combineTargets(targets: readonly Float32Array[]): Float32Array {
  if (targets.length === 0) throw new PersamInputError('at least one reference is needed')
  const sum = new Float32Array(SAM_FEATURES)
  for (const target of targets) {
    const unit = normalized(target)
    for (let c = 0; c < SAM_FEATURES; c++) sum[c]! += unit[c]!
  }
  return normalized(sum)
}

/** Cosine similarity of a unit target with every (normalised) cell: the 64x64 grid, row-major. */
export function similarityGrid(embedding: Float32Array, unitTarget: Float32Array, norms: Float64Array = cellNorms(embedding)): Float32Array {
  checkEmbedding(embedding)
  const dot = new Float64Array(CELLS)
  for (let c = 0; c < SAM_FEATURES; c++) {
    const t = unitTarget[c]!
    if (t === 0) continue
    const base = c * CELLS
    for (let i = 0; i < CELLS; i++) dot[i]! += t * embedding[base + i]!
  }
  const out = new Float32Array(CELLS)
  for (let i = 0; i < CELLS; i++) out[i] = norms[i]! > 0 ? dot[i]! / norms[i]! : 0
  return out
}

/** Per-pixel maximum of several similarity grids (few-shot location map). */
export function maxGrid(grids: readonly Float32Array[]): Float32Array {
  if (grids.length === 0) throw new PersamInputError('no similarity grid to combine')
  const out = Float32Array.from(grids[0]!)
  for (const grid of grids.slice(1)) for (let i = 0; i < CELLS; i++) if (grid[i]! > out[i]!) out[i] = grid[i]!
  return out
}
