/**
 * Everything PerSAM needs from the reference(s), computed once per propagation: the location
 * features, the decoder's target embedding, the mask-level feature for confidence, and, for
 * PerSAM-F, the two fitted fusion weights.
 */
import { resizeMask, type BinaryMask } from '../mask'
import type { ImageEmbedding, SamDecoderPort } from '../sam/port'
import { cellNorms, combineTargets, maxMeanFeature, normalized, similarityGrid, targetFeatures } from './features'
import { fitFusionWeights, PERSAM_F_ITERATIONS, type FusionFit } from './fusionFit'
import { LocationMap } from './locationMap'
import { selectReferenceCells } from './referenceCells'

export type PersamMethod = 'persam' | 'persam-f'

export interface PersamReference {
  readonly embedding: ImageEmbedding
  /** The reference mask at the image's full resolution. */
  readonly mask: BinaryMask
}

export interface PreparedTarget {
  readonly method: PersamMethod
  /** One unit feature per reference for the location map (mean for PerSAM, (max+mean)/2 for PerSAM-F). */
  readonly locationFeatures: readonly Float32Array[]
  /** The raw mean target feature (averaged over references), the PerSAM decoder's target_embedding. */
  readonly targetEmbedding: Float32Array
  /** Unit mean feature over all references, for the mask-level confidence signal. */
  readonly maskFeature: Float32Array
  readonly fusion: FusionFit | null
  /**
   * The location map's peak on the reference image itself (mean over references): the value a
   * perfect match reaches with this target feature, so peaks can be compared across methods.
   */
  readonly referencePeak: number
  /** Mean share of its image the reference mask covers (for the proposals' area-ratio signal). */
  readonly referenceAreaFraction?: number
  /** References whose mask was too small for any cell and used the best-covered cells. */
  readonly fallbackReferences: number
}

export interface PrepareOptions {
  /** PerSAM-F fits on decoder masks whose longest side is this (docs/persam-algorithm.md, deviation 9). */
  readonly fitSize?: number
  readonly fitIterations?: number
}

export const DEFAULT_FIT_SIZE = 128

function fitTargetSize(width: number, height: number, longest: number): { width: number; height: number } {
  const scale = Math.min(1, longest / Math.max(width, height))
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

export async function prepareTarget(
  references: readonly PersamReference[],
  method: PersamMethod,
  decoder: SamDecoderPort,
  options: PrepareOptions = {},
): Promise<PreparedTarget> {
  if (references.length === 0) throw new Error('PerSAM needs at least one reference mask')
  const locationFeatures: Float32Array[] = []
  const means: Float32Array[] = []
  let fallbackReferences = 0
  let peakSum = 0
  let areaFractionSum = 0
  const fitLogits: [number[], number[], number[]] = [[], [], []]
  const fitGroundTruth: number[] = []
  for (const reference of references) {
    const geometry = reference.embedding.geometry
    const cells = selectReferenceCells(reference.mask, geometry)
    if (cells.usedFallback) fallbackReferences++
    let referenceArea = 0
    for (let i = 0; i < reference.mask.data.length; i++) if (reference.mask.data[i]) referenceArea++
    areaFractionSum += referenceArea / Math.max(1, reference.mask.data.length)
    const features = targetFeatures(reference.embedding.data, cells.selection)
    means.push(features.mean)
    const locationFeature = method === 'persam-f' ? maxMeanFeature(features) : normalized(features.mean)
    locationFeatures.push(locationFeature)
    const map = new LocationMap(similarityGrid(reference.embedding.data, locationFeature, cellNorms(reference.embedding.data)), geometry)
    const peak = map.extreme('max')!
    peakSum += peak.value
    if (method !== 'persam-f') continue

    // PerSAM-F's training sample: the reference with its own location prior (positive point only).
    const size = fitTargetSize(geometry.originalWidth, geometry.originalHeight, options.fitSize ?? DEFAULT_FIT_SIZE)
    const result = await decoder.decode({ embedding: reference.embedding, points: [{ x: peak.x, y: peak.y, label: 1 }], outputSize: size })
    const plane = result.outputSize.width * result.outputSize.height
    const truth = resizeMask(reference.mask, result.outputSize.width, result.outputSize.height)
    for (let k = 0; k < 3; k++) {
      const logits = result.masks.subarray((k + 1) * plane, (k + 2) * plane)
      for (let i = 0; i < plane; i++) fitLogits[k]!.push(logits[i]!)
    }
    for (let i = 0; i < plane; i++) fitGroundTruth.push(truth.data[i]!)
  }
  const fusion =
    method === 'persam-f'
      ? fitFusionWeights(
          [Float32Array.from(fitLogits[0]), Float32Array.from(fitLogits[1]), Float32Array.from(fitLogits[2])],
          Uint8Array.from(fitGroundTruth),
          options.fitIterations ?? PERSAM_F_ITERATIONS,
        )
      : null
  const targetEmbedding = new Float32Array(means[0]!.length)
  for (const mean of means) for (let c = 0; c < mean.length; c++) targetEmbedding[c]! += mean[c]! / means.length
  return {
    method,
    locationFeatures,
    targetEmbedding,
    maskFeature: combineTargets(means),
    fusion,
    referencePeak: peakSum / references.length,
    referenceAreaFraction: areaFractionSum / references.length,
    fallbackReferences,
  }
}
