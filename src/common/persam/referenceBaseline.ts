/**
 * What the references themselves say about the scale of the similarity signals: the value the
 * target reaches on its own reference (top) and what the reference's background reaches
 * (background). Signals expressed between the two transfer between image styles better than
 * against fixed constants: a style whose backgrounds already look 0.9 similar to every target
 * shifts both ends together.
 */
import { cellCentre, SAM_GRID } from '../sam/geometry'
import type { ImageEmbedding } from '../sam/port'
import type { BinaryMask } from '../mask'
import { maskFeatureSimilarity } from './confidence'
import { cellNorms, maxGrid, similarityGrid } from './features'
import type { ProposalSignals } from './signals'
import type { PreparedTarget } from './target'

export interface ReferenceBaseline {
  /** Mean location-map value over the reference's background cells. */
  readonly peakBackground: number
  /** The location-map peak on the reference itself. */
  readonly peakTop: number
  /** Mask-feature similarity of the reference's background (all cells outside the mask). */
  readonly featureBackground: number
}

export function referenceBaseline(target: PreparedTarget, embedding: ImageEmbedding, mask: BinaryMask): ReferenceBaseline {
  const norms = cellNorms(embedding.data)
  const grids = target.locationFeatures.map((feature) => similarityGrid(embedding.data, feature, norms))
  const grid = grids.length === 1 ? grids[0]! : maxGrid(grids)
  const { resizedWidth, resizedHeight } = embedding.geometry
  let sum = 0
  let count = 0
  for (let i = 0; i < SAM_GRID && cellCentre(i) <= resizedHeight; i++) {
    const y = Math.min(mask.height - 1, Math.floor((cellCentre(i) / resizedHeight) * mask.height))
    for (let j = 0; j < SAM_GRID && cellCentre(j) <= resizedWidth; j++) {
      const x = Math.min(mask.width - 1, Math.floor((cellCentre(j) / resizedWidth) * mask.width))
      if (mask.data[y * mask.width + x]) continue
      sum += grid[i * SAM_GRID + j]!
      count++
    }
  }
  const background: BinaryMask = { width: mask.width, height: mask.height, data: Uint8Array.from(mask.data, (v) => (v ? 0 : 1)) }
  return {
    peakBackground: count > 0 ? sum / count : 0,
    peakTop: target.referencePeak,
    featureBackground: maskFeatureSimilarity(embedding.data, background, embedding.geometry, target.maskFeature),
  }
}

/** Where a value sits between the background (0) and the reference's own level (1), unclipped. */
const between = (value: number, background: number, top: number): number => (top - background > 1e-6 ? (value - background) / (top - background) : 0)

export interface RelativeSignals {
  readonly peakRelative: number
  readonly featureRelative: number
}

export function relativeSignals(signals: ProposalSignals, baseline: ReferenceBaseline): RelativeSignals {
  return {
    peakRelative: between(signals.peakValue, baseline.peakBackground, baseline.peakTop),
    featureRelative: between(signals.featureSimilarity, baseline.featureBackground, 1),
  }
}
