/**
 * Interactive segmentation on the open project: clicks and boxes in, candidate masks out, with
 * the image's embedding computed on first use (and ahead of time for the images the user is
 * about to see). Previews live here until they are committed or pushed out; nothing is stored.
 */
import type { MaskCandidate, PromptBox, PromptPoint, SegmentPreview } from '../../../common/ipc/dto/segment'
import { StudioError } from '../../../common/ipc/result'
import { maskToLowResLogits } from '../../../common/sam/maskInput'
import { lowResPlane, type DecodeResult } from '../../../common/sam/port'
import { compressedRleToJson } from '../../../common/mask'
import type { SamRuntime } from '../sam/samRuntime'
import { binaryOfStored, storedMaskFromRle, type Project, type StoredMask } from '../store'

export interface StoredPreview {
  readonly imageId: number
  readonly masks: readonly StoredMask[]
  readonly scores: readonly number[]
  readonly recommended: number
}

export interface PreviewRequest {
  readonly requestId: number
  readonly imageId: number
  readonly points: readonly PromptPoint[]
  readonly box?: PromptBox
  readonly maskInput?: 'previous' | { readonly annotationId: number }
}

const KEPT_PREVIEWS = 32
const PREFETCH_AHEAD = 16

/** SAM's convention: one prompt is ambiguous, take the best multimask output; more prompts, the single-mask output. */
export function recommendedCandidate(result: DecodeResult, prompts: number): number {
  if (prompts > 1 || result.maskCount < 4) return 0
  let best = 1
  for (let k = 2; k < 4; k++) if (result.iouPredictions[k]! > result.iouPredictions[best]!) best = k
  return best
}

export class SegmentService {
  private readonly previews = new Map<string, StoredPreview>()
  /** The recommended candidate's low-res logits of the latest preview per image ('previous'). */
  private readonly lastLowRes = new Map<number, Float32Array>()
  private nextPreview = 1
  private prefetchQueue: number[] = []
  private prefetching = false

  constructor(
    private readonly project: Project,
    private readonly runtime: () => Promise<SamRuntime>,
  ) {}

  async preview(request: PreviewRequest): Promise<SegmentPreview> {
    const started = performance.now()
    const image = this.project.images.require(request.imageId)
    const runtime = await this.runtime()
    const encoded = await runtime.encodeFile(this.project.absolutePath(image.relPath), { imageKey: image.contentHash })
    const embeddingMs = performance.now() - started
    let maskInput: Float32Array | null = null
    if (request.maskInput === 'previous') maskInput = this.lastLowRes.get(image.id) ?? null
    else if (request.maskInput) {
      const annotation = this.project.annotations.require(request.maskInput.annotationId)
      if (annotation.imageId !== image.id) throw new StudioError('invalid-input', `annotation ${annotation.id} belongs to image ${annotation.imageId}, not ${image.id}`)
      if (annotation.mask) maskInput = maskToLowResLogits(binaryOfStored(annotation.mask), encoded.embedding.geometry)
    }
    const decodeStarted = performance.now()
    const result = await runtime.decode(
      {
        embedding: encoded.embedding,
        points: request.points.map((p) => ({ x: p.x, y: p.y, label: p.positive ? 1 : 0 })),
        box: request.box ?? null,
        maskInput,
        maskOutput: 'rle',
      },
      { supersede: 'editor' },
    )
    const decoderMs = performance.now() - decodeStarted
    const stored = result.rles.map((rle) => storedMaskFromRle(rle))
    const recommended = recommendedCandidate(result, request.points.length + (request.box ? 1 : 0))
    this.lastLowRes.set(image.id, lowResPlane(result.lowResLogits, recommended))
    const previewId = `preview-${this.nextPreview++}`
    this.remember(previewId, { imageId: image.id, masks: stored, scores: Array.from(result.iouPredictions), recommended })
    const candidates: MaskCandidate[] = stored.map((mask, k) => ({
      mask: compressedRleToJson({ size: mask.size, counts: mask.counts }),
      score: result.iouPredictions[k]!,
      area: mask.area,
    }))
    return {
      requestId: request.requestId,
      previewId,
      candidates,
      recommended,
      timings: { embeddingMs, decoderMs, totalMs: performance.now() - started },
      embeddingSource: encoded.source,
    }
  }

  /** A preview made by preview(); throws when it was pushed out or never existed. */
  previewFor(previewId: string): StoredPreview {
    const preview = this.previews.get(previewId)
    if (!preview) throw new StudioError('not-found', `preview ${previewId} is gone; segment the object again`)
    return preview
  }

  /** Encodes these images' embeddings in the background, in this order (replacing the previous queue). */
  prefetch(imageIds: readonly number[]): number {
    this.prefetchQueue = [...new Set(imageIds)].slice(0, PREFETCH_AHEAD)
    const queued = this.prefetchQueue.length
    if (!this.prefetching) void this.drainPrefetch()
    return queued
  }

  private async drainPrefetch(): Promise<void> {
    this.prefetching = true
    try {
      for (let next = this.prefetchQueue.shift(); next !== undefined; next = this.prefetchQueue.shift()) {
        const image = this.project.images.get(next)
        if (!image) continue
        const runtime = await this.runtime().catch(() => null)
        if (!runtime) return
        // A failure here (an unreadable file) shows up again, with its message, when the user opens the image.
        await runtime.encodeFile(this.project.absolutePath(image.relPath), { imageKey: image.contentHash }).catch(() => undefined)
      }
    } finally {
      this.prefetching = false
    }
  }

  private remember(previewId: string, preview: StoredPreview): void {
    this.previews.set(previewId, preview)
    while (this.previews.size > KEPT_PREVIEWS) this.previews.delete(this.previews.keys().next().value!)
  }
}
