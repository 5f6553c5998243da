/**
 * Runs PerSAM / PerSAM-F over a list of images: encodes (through the embedding caches), segments,
 * and yields one result per image as soon as it is ready, so callers can store it and report
 * progress while the rest runs. Cancellable between and during images.
 */
import { encodeRleScaled, type BinaryMask, type CocoRle } from '../../../common/mask'
import { DEFAULT_SEGMENT_OPTIONS, segmentImage, type PersamImageResult, type SegmentOptions } from '../../../common/persam/segment'
import { prepareTarget, type PersamMethod, type PreparedTarget } from '../../../common/persam/target'
import type { DecodeRequest, DecodeResult, FusedFor, FusionWeightsOrNone, MaskOutput, SamDecoderPort } from '../../../common/sam/port'
import type { SamRuntime } from '../sam/samRuntime'
import { definedOnly } from '../../../common/util/objects'

export interface PropagationReference {
  readonly file: string
  /** The reference mask at the image's full (EXIF-oriented) size. */
  readonly mask: BinaryMask
  readonly imageKey?: string
}

export interface PropagationImage<Id> {
  readonly id: Id
  readonly file: string
  readonly imageKey?: string
  /** Masks already kept on the image (full size): new instances avoid them and count them in maxInstances. */
  readonly keptMasks?: readonly BinaryMask[]
}

export interface PropagationOptions extends Partial<SegmentOptions> {
  readonly method: PersamMethod
  readonly signal?: AbortSignal
  /** PerSAM-F: longest side of the masks the two weights are fitted on. */
  readonly fitSize?: number
}

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

/** `Item`: the image as the caller passed it (extra fields are handed back untouched). */
export type PropagationEvent<Item> =
  | {
      readonly kind: 'result'
      readonly image: Item
      readonly result: PersamImageResult
      /** One full-resolution RLE per instance, in result.instances order. */
      readonly masks: readonly CocoRle[]
      /** The image's size after EXIF orientation (also for images judged absent). */
      readonly width: number
      readonly height: number
      readonly timings: ImageTimings
    }
  | { readonly kind: 'failed'; readonly image: Item; readonly error: string }

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

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw Object.assign(new Error('propagation cancelled'), { name: 'AbortError' })
}

export class PropagationRunner {
  private constructor(
    private readonly runtime: SamRuntime,
    readonly target: PreparedTarget,
    private readonly options: PropagationOptions,
  ) {}

  /** Encodes the references and prepares the target (PerSAM-F fits its two weights here). */
  static async prepare(runtime: SamRuntime, references: readonly PropagationReference[], options: PropagationOptions): Promise<PropagationRunner> {
    const prepared = []
    for (const reference of references) {
      checkAborted(options.signal)
      const { embedding } = await runtime.encodeFile(reference.file, { imageKey: reference.imageKey, signal: options.signal })
      const { originalWidth, originalHeight } = embedding.geometry
      if (reference.mask.width !== originalWidth || reference.mask.height !== originalHeight) {
        throw new Error(
          `${reference.file}: the reference mask is ${reference.mask.width}x${reference.mask.height}, the image is ${originalWidth}x${originalHeight}`,
        )
      }
      prepared.push({ embedding, mask: reference.mask })
    }
    const target = await prepareTarget(prepared, options.method, runtime, { fitSize: options.fitSize })
    return new PropagationRunner(runtime, target, options)
  }

  async *run<Item extends PropagationImage<unknown>>(images: Iterable<Item> | AsyncIterable<Item>): AsyncGenerator<PropagationEvent<Item>> {
    const segmentOptions: SegmentOptions = { ...DEFAULT_SEGMENT_OPTIONS, ...definedOnly(this.options) }
    for await (const image of images) {
      checkAborted(this.options.signal)
      try {
        yield await this.segmentOne(image, image.keptMasks ? { ...segmentOptions, keptMasks: image.keptMasks } : segmentOptions)
      } catch (error) {
        if (this.options.signal?.aborted) throw error
        yield { kind: 'failed', image, error: error instanceof Error ? error.message : String(error) }
      }
    }
  }

  private async segmentOne<Item extends PropagationImage<unknown>>(image: Item, options: SegmentOptions): Promise<PropagationEvent<Item>> {
    const imageStart = performance.now()
    const encoded = await this.runtime.encodeFile(image.file, { imageKey: image.imageKey, signal: this.options.signal })
    const imageMs = performance.now() - imageStart - encoded.timings.encoderMs
    const decoder = new TimedDecoder(this.runtime)
    const segmentStart = performance.now()
    const result = await segmentImage(this.target, encoded.embedding, decoder, options)
    const segmentMs = performance.now() - segmentStart
    const encodeStart = performance.now()
    const { originalWidth, originalHeight } = encoded.embedding.geometry
    const masks = result.instances.map((instance) => encodeRleScaled(instance.mask, originalWidth, originalHeight))
    return {
      kind: 'result',
      image,
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
}
