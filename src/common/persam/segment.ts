/**
 * PerSAM / PerSAM-F on one image (docs/persam-algorithm.md, sections 2-4 and 6), plus what users of the
 * reference asked for: a confidence with an "absent" verdict, and several instances.
 *
 * Per instance: location prior -> positive point (and, for PerSAM, a negative one) -> first
 * decoder call (PerSAM's guided decoder when available) -> two cascaded refinements (mask input,
 * then box + mask input), each picking the best multimask output by predicted IoU.
 */
import { maskArea, resizeMask, subtractMask, unionMasks, type BinaryMask } from '../mask'
import { definedOnly } from '../util/objects'
import { lowResPlane, type DecodeResult, type FusionWeights, type ImageEmbedding, type MaskExtent, type MaskOutput, type SamDecoderPort } from '../sam/port'
import type { PromptBox, PromptPoint } from '../sam/prompts'
import { attentionSimilarity, type AttentionAlignment } from './attention'
import { combineConfidence, maskFeatureSimilarity, type ConfidenceModel, DEFAULT_ABSENT_THRESHOLD } from './confidence'
import { maskShape, stabilityScore, type ProposalSignals } from './signals'
import { cellNorms, maxGrid, similarityGrid } from './features'
import { LocationMap, type MapPoint } from './locationMap'
import { SAM_CELL } from '../sam/geometry'
import type { PreparedTarget } from './target'

export interface SegmentOptions {
  readonly maxInstances: number
  /**
   * Below this confidence the image is "absent" (no instance reaches it) and weaker instances are
   * dropped. Null: never "absent"; every non-empty candidate may become an instance.
   */
  readonly absentThreshold: number | null
  /**
   * Masks a person already kept on this image (any size; they are scaled to the decoder's):
   * new instances leave their pixels out and come on top of them, up to maxInstances in all.
   */
  readonly keptMasks?: readonly BinaryMask[]
  /**
   * How many location peaks to try, each in a different place (every tried mask is excluded from
   * the next peak search). The reference tries one; a distractor that looks like one part of the
   * target can win the location prior, and the mask-level confidence usually tells it apart.
   */
  readonly candidates: number
  readonly attention: AttentionAlignment
  readonly confidence?: ConfidenceModel
  /** Masks are requested at this size (the runtime may pick a smaller one for huge images). */
  readonly outputSize?: { readonly width: number; readonly height: number }
}

export const DEFAULT_SEGMENT_OPTIONS: SegmentOptions = { maxInstances: 1, absentThreshold: DEFAULT_ABSENT_THRESHOLD, candidates: 3, attention: 'aligned' }

export interface PersamInstance {
  /** At the decoder's output size (the image size unless the image is very large). */
  readonly mask: BinaryMask
  readonly confidence: number
  readonly signals: ProposalSignals
  readonly positive: MapPoint
  readonly negative: MapPoint | null
  /** The box of the last refinement, in image pixels. */
  readonly box: PromptBox | null
  /** Which decoder output the final step chose (1..3). */
  readonly chosenMask: number
}

export interface PersamImageResult {
  readonly instances: readonly PersamInstance[]
  /**
   * True when even the best candidate was below the threshold: no mask is proposed. Never true
   * without a threshold or with kept masks (no instance then just means nothing new was found).
   */
  readonly absent: boolean
  /** The best candidate's confidence, also when absent. */
  readonly bestConfidence: number
  /** 'persam-decoder' when the first call used target-guided attention and the semantic prompt. */
  readonly firstCall: 'persam-decoder' | 'standard'
  readonly decoderCalls: number
}

function bestMultimask(result: DecodeResult): number {
  let best = 1
  for (let k = 2; k < Math.min(4, result.maskCount); k++) if (result.iouPredictions[k]! > result.iouPredictions[best]!) best = k
  return best
}

/** One plane of a 'binary' decode, copied so set operations can work on aligned words. */
function binaryPlane(result: DecodeResult<'binary'>, index: number): BinaryMask {
  const { width, height } = result.outputSize
  const plane = width * height
  return { width, height, data: result.binaryMasks.slice(index * plane, (index + 1) * plane) }
}

/** The tight box (inclusive corners, as bbox() in the reference), from mask pixels to image pixels. */
function boxInImage(extent: MaskExtent, embedding: ImageEmbedding, width: number, height: number): PromptBox | null {
  if (extent.area === 0) return null
  const sx = embedding.geometry.originalWidth / width
  const sy = embedding.geometry.originalHeight / height
  return { x0: extent.x0 * sx, y0: extent.y0 * sy, x1: extent.x1 * sx, y1: extent.y1 * sy }
}

export async function segmentImage(
  target: PreparedTarget,
  embedding: ImageEmbedding,
  decoder: SamDecoderPort,
  overrides: Partial<SegmentOptions> = {},
): Promise<PersamImageResult> {
  const options: SegmentOptions = { ...DEFAULT_SEGMENT_OPTIONS, ...definedOnly(overrides) }
  const kept = options.keptMasks ?? []
  if (!(options.candidates >= 1 && options.maxInstances >= 1)) {
    throw new RangeError(`candidates and maxInstances must be at least 1 (got ${options.candidates}, ${options.maxInstances})`)
  }
  const norms = cellNorms(embedding.data)
  const grids = target.locationFeatures.map((feature) => similarityGrid(embedding.data, feature, norms))
  const map = new LocationMap(grids.length === 1 ? grids[0]! : maxGrid(grids), embedding.geometry)
  const guided = target.method === 'persam' && decoder.capabilities.persamInputs
  const attnSim = guided ? attentionSimilarity(map, options.attention) : null
  const negative = target.method === 'persam' ? map.extreme('min') : null

  let decoderCalls = 0
  const decode = <K extends MaskOutput, F extends FusionWeights | undefined = undefined>(
    points: PromptPoint[],
    extra: { box?: PromptBox | null; maskInput?: Float32Array; guided?: boolean; maskOutput: K; fusionWeights?: F },
  ) => {
    decoderCalls++
    return decoder.decode({
      embedding,
      points,
      box: extra.box ?? null,
      maskInput: extra.maskInput ?? null,
      outputSize: options.outputSize,
      attnSim: extra.guided ? attnSim : null,
      targetEmbedding: extra.guided ? target.targetEmbedding : null,
      maskOutput: extra.maskOutput,
      fusionWeights: extra.fusionWeights,
    })
  }

  // Each candidate starts at the best location not covered by an earlier candidate's mask.
  const candidates: PersamInstance[] = []
  // The kept masks' locations are ruled out from the start (the exclusion may have any size).
  const keptUnion = kept.length > 0 ? kept.reduce((a, b) => unionMasks(a, sized(b, a))) : null
  let tried: BinaryMask | null = keptUnion
  const room = options.maxInstances - kept.length
  const attempts = room > 0 ? Math.max(options.candidates, room) : 0
  for (let n = 0; n < attempts; n++) {
    const positive = map.extreme('max', tried)
    if (!positive) break
    const candidate = await cascade(target, embedding, positive, negative, guided, decode, n)
    candidates.push(candidate)
    // An empty mask still rules its location out: the next peak must be somewhere else.
    const explored = maskArea(candidate.mask) > 0 ? candidate.mask : cellAround(positive, candidate.mask, embedding)
    tried = tried ? unionMasks(sized(tried, explored), explored) : explored
  }

  // Instances: the most confident candidates above the threshold, never overlapping each other
  // nor the kept masks.
  const instances: PersamInstance[] = []
  let taken: BinaryMask | null = keptUnion && candidates[0] ? sized(keptUnion, candidates[0].mask) : null
  const threshold = options.absentThreshold ?? Number.MIN_VALUE
  for (const candidate of [...candidates].sort((a, b) => b.confidence - a.confidence)) {
    if (instances.length >= room || candidate.confidence < threshold) break
    const mask: BinaryMask = taken ? subtractMask(candidate.mask, taken) : candidate.mask
    if (maskArea(mask) < 0.5 * maskArea(candidate.mask)) continue
    instances.push({ ...candidate, mask })
    taken = taken ? unionMasks(taken, mask) : mask
  }
  return {
    instances,
    // With kept masks the object is there; without a threshold nothing is ever called absent.
    absent: instances.length === 0 && kept.length === 0 && options.absentThreshold !== null,
    bestConfidence: candidates.reduce((best, c) => Math.max(best, c.confidence), 0),
    firstCall: guided ? 'persam-decoder' : 'standard',
    decoderCalls,
  }

  /** The reference's three decoder calls from one positive point, and the result's confidence. */
  async function cascade(
    prepared: PreparedTarget,
    image: ImageEmbedding,
    positiveAt: MapPoint,
    negativeAt: MapPoint | null,
    useGuided: boolean,
    run: typeof decode,
    rank: number,
  ): Promise<PersamInstance> {
    const points: PromptPoint[] = [{ x: positiveAt.x, y: positiveAt.y, label: 1 }]
    if (negativeAt) points.push({ x: negativeAt.x, y: negativeAt.y, label: 0 })

    // Step 1: the location prior alone (PerSAM: guided decoder, single-mask output 0; PerSAM-F: fused multimask).
    // Masks stay in the inference worker unless a step needs them: extents (and PerSAM-F's fused
    // low-res logits and extent) come with every reply.
    const first = await run(points, { guided: useGuided, maskOutput: 'none', fusionWeights: prepared.fusion?.weights })
    const { width, height } = first.outputSize
    let coarseLowRes: Float32Array
    let coarseBox: PromptBox | null = null
    if (prepared.fusion) {
      if (!first.fused) throw new Error('the decoder did not return the fused multimask PerSAM-F asked for')
      coarseBox = boxInImage(first.fused.extent, image, width, height)
      coarseLowRes = first.fused.lowResLogits
    } else {
      coarseLowRes = lowResPlane(first.lowResLogits, 0)
    }

    // Step 2: refine with the coarse logits (PerSAM-F also boxes the fused mask).
    const secondRequest = { box: coarseBox, maskInput: coarseLowRes }
    const second = await run(points, { ...secondRequest, maskOutput: 'none' })
    const secondChoice = bestMultimask(second)
    let chosen = secondChoice
    let extent = second.extents[secondChoice]!
    let predictedIou = second.iouPredictions[secondChoice]!
    let mask: BinaryMask | null = null
    let finalLowRes = lowResPlane(second.lowResLogits, secondChoice)

    // Step 3: box + mask input. An empty mask has no box (the reference crashes there): keep step 2.
    const box = boxInImage(extent, image, width, height)
    if (box) {
      const third = await run(points, { box, maskInput: lowResPlane(second.lowResLogits, secondChoice), maskOutput: 'binary' })
      const refined = bestMultimask(third)
      if (third.extents[refined]!.area > 0) {
        chosen = refined
        extent = third.extents[refined]!
        predictedIou = third.iouPredictions[refined]!
        mask = binaryPlane(third, refined)
        finalLowRes = lowResPlane(third.lowResLogits, refined)
      } else {
        // Rare: step 3 lost the mask; fetch step 2's again (the decoder is deterministic).
        mask = binaryPlane(await run(points, { ...secondRequest, maskOutput: 'binary' }), secondChoice)
      }
    }
    mask ??= { width, height, data: new Uint8Array(width * height) }
    const area = extent.area
    const shape = maskShape(mask)
    const areaFraction = shape.area / Math.max(1, mask.width * mask.height)
    const signals: ProposalSignals = {
      peak: prepared.referencePeak > 0 ? positiveAt.value / prepared.referencePeak : positiveAt.value,
      predictedIou: area > 0 ? predictedIou : 0,
      featureSimilarity: area > 0 ? maskFeatureSimilarity(image.data, mask, image.geometry, prepared.maskFeature) : 0,
      peakValue: positiveAt.value,
      stability: area > 0 ? stabilityScore(finalLowRes) : 0,
      areaFraction,
      areaRatio: prepared.referenceAreaFraction ? areaFraction / prepared.referenceAreaFraction : 0,
      components: shape.components,
      borderContact: shape.borderContact,
      candidateRank: rank,
    }
    return {
      mask,
      confidence: area > 0 ? combineConfidence(signals, options.confidence) : 0,
      signals,
      positive: positiveAt,
      negative: negativeAt,
      box,
      chosenMask: chosen,
    }
  }
}

/** `mask` at `like`'s size. */
function sized(mask: BinaryMask, like: BinaryMask): BinaryMask {
  return mask.width === like.width && mask.height === like.height ? mask : resizeMask(mask, like.width, like.height)
}

/** The feature cell (16 canvas pixels) around a point, as a mask of the given mask's size. */
function cellAround(point: MapPoint, like: BinaryMask, embedding: ImageEmbedding): BinaryMask {
  const { originalWidth, originalHeight, resizedWidth, resizedHeight } = embedding.geometry
  const data = new Uint8Array(like.width * like.height)
  const halfX = ((SAM_CELL / 2) * originalWidth) / resizedWidth
  const halfY = ((SAM_CELL / 2) * originalHeight) / resizedHeight
  const sx = like.width / originalWidth
  const sy = like.height / originalHeight
  const x0 = Math.max(0, Math.floor((point.x - halfX) * sx))
  const x1 = Math.min(like.width - 1, Math.ceil((point.x + halfX) * sx))
  const y0 = Math.max(0, Math.floor((point.y - halfY) * sy))
  const y1 = Math.min(like.height - 1, Math.ceil((point.y + halfY) * sy))
  for (let y = y0; y <= y1; y++) data.fill(1, y * like.width + x0, y * like.width + x1 + 1)
  return { width: like.width, height: like.height, data }
}
