/**
 * How sure a proposal is, in [0, 1]. The reference always returns a mask, even when the target is
 * absent (docs/persam-algorithm.md, section 6). Three signals, each cheap:
 *  - the location map's peak: how much the best cell looks like the target;
 *  - the decoder's predicted IoU of the chosen mask: how clean the mask is;
 *  - the mask's own feature: the mean embedding over the proposed mask compared with the
 *    reference's. A distractor that shares one colour (one part) with the target can peak as high
 *    as the target itself, but the mix of features under its mask does not match.
 */
import { cellCentre, SAM_FEATURES, SAM_GRID } from '../sam/geometry'

export interface ConfidenceSignals {
  /** Location map value at the positive point, relative to the reference's own peak (1 = as good a match). */
  readonly peak: number
  readonly predictedIou: number
  readonly featureSimilarity: number
}

/**
 * Each signal is mapped linearly from the range where it carries information to [0, 1], then the
 * three are mixed. Cosine similarities bunch up near 1, so the ramps start well above 0.
 */
export interface ConfidenceModel {
  readonly peak: { readonly weight: number; readonly from: number; readonly to: number }
  readonly predictedIou: { readonly weight: number; readonly from: number; readonly to: number }
  readonly featureSimilarity: { readonly weight: number; readonly from: number; readonly to: number }
}

/**
 * Calibrated on the synthetic PerSeg-like set with the toy model (npm run bench -- persam): the
 * mask feature separates true proposals (10th percentile 0.98) from absent targets (90th
 * percentile 0.91); the toy decoder's predicted IoU hardly varies, so it weighs little.
 */
export const DEFAULT_CONFIDENCE_MODEL: ConfidenceModel = {
  peak: { weight: 0.2, from: 0.6, to: 1 },
  predictedIou: { weight: 0.2, from: 0, to: 1 },
  featureSimilarity: { weight: 0.6, from: 0.75, to: 1 },
}

/** The absent threshold that goes with DEFAULT_CONFIDENCE_MODEL. */
export const DEFAULT_ABSENT_THRESHOLD = 0.78

const ramp = (x: number, from: number, to: number): number => {
  const t = (x - from) / (to - from)
  return Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0
}

export function combineConfidence(signals: ConfidenceSignals, model: ConfidenceModel = DEFAULT_CONFIDENCE_MODEL): number {
  const parts = [
    [model.peak, signals.peak],
    [model.predictedIou, signals.predictedIou],
    [model.featureSimilarity, signals.featureSimilarity],
  ] as const
  let total = 0
  let weights = 0
  for (const [term, value] of parts) {
    total += term.weight * ramp(value, term.from, term.to)
    weights += term.weight
  }
  return weights > 0 ? total / weights : 0
}

/**
 * Cosine similarity between `unitReference` and the mean raw feature of the grid cells whose
 * centres fall inside `mask` (a mask of any resolution covering the image's resized area).
 */
export function maskFeatureSimilarity(
  embedding: Float32Array,
  mask: { readonly width: number; readonly height: number; readonly data: Uint8Array },
  resized: { readonly resizedWidth: number; readonly resizedHeight: number },
  unitReference: Float32Array,
): number {
  const cells: number[] = []
  for (let i = 0; i < SAM_GRID; i++) {
    const cy = cellCentre(i)
    if (cy > resized.resizedHeight) break
    const y = Math.min(mask.height - 1, Math.floor((cy / resized.resizedHeight) * mask.height))
    for (let j = 0; j < SAM_GRID; j++) {
      const cx = cellCentre(j)
      if (cx > resized.resizedWidth) break
      const x = Math.min(mask.width - 1, Math.floor((cx / resized.resizedWidth) * mask.width))
      if (mask.data[y * mask.width + x]) cells.push(i * SAM_GRID + j)
    }
  }
  if (cells.length === 0) return 0
  const cellCount = SAM_GRID * SAM_GRID
  let dot = 0
  let norm = 0
  for (let c = 0; c < SAM_FEATURES; c++) {
    let sum = 0
    const base = c * cellCount
    for (const cell of cells) sum += embedding[base + cell]!
    const mean = sum / cells.length
    dot += mean * unitReference[c]!
    norm += mean * mean
  }
  return norm > 0 ? dot / Math.sqrt(norm) : 0
}
