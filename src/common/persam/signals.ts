/**
 * Cheap per-proposal signals beyond the three the hand-set confidence mixes: what a calibrated
 * model (src/common/calibration) can learn from. All are computed from what the cascade already
 * has: the final step's low-res logits and the final binary mask.
 */
import { LOW_RES_PLANE } from '../sam/port'
import type { ConfidenceSignals } from './confidence'

export interface ProposalSignals extends ConfidenceSignals {
  /** The location map's raw cosine value at the positive point (not divided by the reference peak). */
  readonly peakValue: number
  /** SAM's stability score: IoU of the low-res mask thresholded at logit +1 and at -1. */
  readonly stability: number
  /** Mask area as a share of the image. */
  readonly areaFraction: number
  /** Mask area share relative to the reference mask's share (1 = same relative size). */
  readonly areaRatio: number
  /** 4-connected components of the mask. */
  readonly components: number
  /** Share of the image border's pixels the mask touches. */
  readonly borderContact: number
  /** 0 for the first location peak tried on this image, 1 for the second... */
  readonly candidateRank: number
}

/** The numeric signal names, in a fixed order (the calibrated model's features). */
export const SIGNAL_NAMES = ['peak', 'peakValue', 'predictedIou', 'featureSimilarity', 'stability', 'areaFraction', 'areaRatio', 'components', 'borderContact', 'candidateRank'] as const
export type SignalName = (typeof SIGNAL_NAMES)[number]

/** As SAM's automatic mask generator: intersection over union of the two thresholded masks. */
export function stabilityScore(lowResLogits: Float32Array, offset = 1): number {
  let high = 0
  let low = 0
  const n = Math.min(lowResLogits.length, LOW_RES_PLANE)
  for (let i = 0; i < n; i++) {
    const v = lowResLogits[i]!
    if (v > offset) high++
    if (v > -offset) low++
  }
  return low > 0 ? high / low : 0
}

export interface MaskShape {
  readonly area: number
  readonly components: number
  readonly borderContact: number
}

/** Area, 4-connected components (iterative flood fill) and border contact of a 0/1 mask. */
export function maskShape(mask: { readonly width: number; readonly height: number; readonly data: Uint8Array }): MaskShape {
  const { width, height, data } = mask
  const label = new Uint8Array(width * height)
  const stack: number[] = []
  let area = 0
  let components = 0
  for (let start = 0; start < data.length; start++) {
    if (!data[start]) continue
    area++
    if (label[start]) continue
    components++
    label[start] = 1
    stack.push(start)
    while (stack.length > 0) {
      const p = stack.pop()!
      const x = p % width
      const visit = (q: number): void => {
        if (!data[q] || label[q]) return
        label[q] = 1
        stack.push(q)
      }
      if (x > 0) visit(p - 1)
      if (x < width - 1) visit(p + 1)
      if (p >= width) visit(p - width)
      if (p + width < data.length) visit(p + width)
    }
  }
  let touching = 0
  for (let x = 0; x < width; x++) touching += (data[x] ? 1 : 0) + (data[(height - 1) * width + x] ? 1 : 0)
  for (let y = 1; y < height - 1; y++) touching += (data[y * width] ? 1 : 0) + (data[y * width + width - 1] ? 1 : 0)
  const border = height > 1 ? 2 * width + 2 * (height - 2) : width
  return { area, components, borderContact: border > 0 ? touching / border : 0 }
}
