/**
 * Runs PerSAM / PerSAM-F over a list of images: encodes (through the embedding caches), segments,
 * and yields one result per image as soon as it is ready, so callers can store it and report
 * progress while the rest runs. Cancellable between and during images.
 */
import type { BinaryMask, CocoRle } from '../../../common/mask'
import type { PersamImageResult, SegmentOptions } from '../../../common/persam/segment'
import { prepareTarget, type PersamMethod, type PreparedTarget } from '../../../common/persam/target'
import type { SamRuntime } from '../sam/samRuntime'
import { segmentOptionsOf, segmentPreparedImage, type ImageTimings } from './imageProposals'

export type { ImageTimings } from './imageProposals'

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
    const segmentOptions: SegmentOptions = segmentOptionsOf(this.options)
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
    // Shared with the queue worker (imageProposals), so both produce the same masks.
    const segmented = await segmentPreparedImage(this.runtime, this.target, image, options, this.options.signal)
    return { kind: 'result', image, ...segmented }
  }
}
