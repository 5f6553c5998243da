/**
 * The per-image part of a propagation, shared by the in-process runner and the queue worker so
 * both produce byte-identical proposals: encode (through the runtime's caches), segment with a
 * prepared target, encode the chosen masks as full-size RLE, and turn the result into the
 * proposals the store keeps.
 */
import { encodeRleScaled, type CocoRle } from '../../../common/mask'
import { DEFAULT_SEGMENT_OPTIONS, segmentImage, type PersamImageResult, type SegmentOptions } from '../../../common/persam/segment'
import type { PersamMethod, PreparedTarget } from '../../../common/persam/target'
import type { DecodeRequest, DecodeResult, FusedFor, FusionWeightsOrNone, MaskOutput, SamDecoderPort } from '../../../common/sam/port'
import { definedOnly } from '../../../common/util/objects'
import type { SamRuntime } from '../sam/samRuntime'
import { storedMaskFromRle, type RunProposal } from '../store'

export interface ImageTimings {
  /** Hashing, decoding and resizing the image, reading or writing the embedding cache. */
  readonly imageMs: number
  readonly encoderMs: number
  readonly embeddingSource: 'memory' | 'disk' | 'encoder'
  /** Decoder runs, including the round trip to the inference worker. */
  readonly decoderMs: number
  /** PerSAM's own work: location map, points, attention, fusion, confidence. */
  readonly algorithmMs: number
  /** Full-resolution COCO RLE of the chosen masks. */
  readonly encodingMs: number
}

export interface SegmentedImage {
  readonly result: PersamImageResult
  /** One full-resolution RLE per instance, in result.instances order. */
  readonly masks: readonly CocoRle[]
  /** The image's size after EXIF orientation (also for images judged absent). */
  readonly width: number
  readonly height: number
  readonly timings: ImageTimings
}

/** The segment options a propagation's parameters mean (defaults for what they leave out). */
export function segmentOptionsOf(params: Partial<SegmentOptions>): SegmentOptions {
  return { ...DEFAULT_SEGMENT_OPTIONS, ...definedOnly(params) }
}

/** Measures the time spent in decoder calls, to tell model time from the algorithm's own. */
class TimedDecoder implements SamDecoderPort {
  elapsedMs = 0
  constructor(private readonly inner: SamDecoderPort) {}
  get capabilities() {
    return this.inner.capabilities
  }
  async decode<K extends MaskOutput = 'logits', F extends FusionWeightsOrNone = undefined>(request: DecodeRequest<K, F>): Promise<DecodeResult<K, FusedFor<F>>> {
    const start = performance.now()
    try {
      return await this.inner.decode(request)
    } finally {
      this.elapsedMs += performance.now() - start
    }
  }
}

/**
 * Encodes one image, segments it with the prepared target and RLE-encodes the chosen masks.
 * `options.keptMasks`: the masks already kept on the image (new instances avoid them).
 */
export async function segmentPreparedImage(
  runtime: SamRuntime,
  target: PreparedTarget,
  image: { readonly file: string; readonly imageKey?: string | undefined },
  options: SegmentOptions,
  signal?: AbortSignal,
): Promise<SegmentedImage> {
  const imageStart = performance.now()
  const encoded = await runtime.encodeFile(image.file, { imageKey: image.imageKey, signal })
  const imageMs = performance.now() - imageStart - encoded.timings.encoderMs
  const decoder = new TimedDecoder(runtime)
  const segmentStart = performance.now()
  const result = await segmentImage(target, encoded.embedding, decoder, options)
  const segmentMs = performance.now() - segmentStart
  const encodeStart = performance.now()
  const { originalWidth, originalHeight } = encoded.embedding.geometry
  const masks = result.instances.map((instance) => encodeRleScaled(instance.mask, originalWidth, originalHeight))
  return {
    result,
    masks,
    width: originalWidth,
    height: originalHeight,
    timings: {
      imageMs,
      encoderMs: encoded.timings.encoderMs,
      embeddingSource: encoded.source,
      decoderMs: decoder.elapsedMs,
      algorithmMs: segmentMs - decoder.elapsedMs,
      encodingMs: performance.now() - encodeStart,
    },
  }
}

/** What a stored proposal remembers of how it was made. */
function methodDetails(method: PersamMethod, result: PersamImageResult, index: number): Record<string, unknown> {
  const instance = result.instances[index]!
  return {
    method,
    firstCall: result.firstCall,
    positive: [instance.positive.x, instance.positive.y],
    negative: instance.negative ? [instance.negative.x, instance.negative.y] : null,
    chosenMask: instance.chosenMask,
    box: instance.box,
    signals: instance.signals,
    decoderCalls: result.decoderCalls,
  }
}

/** The proposals the store keeps for one segmented image (one 'absent' row when the object is not there). */
export function runProposalsOf(method: PersamMethod, result: PersamImageResult, masks: readonly CocoRle[]): RunProposal[] {
  return result.absent
    ? [{ mask: null, status: 'absent', score: result.bestConfidence, method: { method, absent: true, firstCall: result.firstCall } }]
    : masks.map((rle, k) => ({ mask: storedMaskFromRle(rle), score: result.instances[k]!.confidence, method: methodDetails(method, result, k) }))
}
