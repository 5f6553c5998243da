/** Interactive segmentation: prompts in, candidate masks out. */
import type { RleMask } from './annotation'

export interface PromptPoint {
  /** Image pixels (x = column, y = row), after EXIF orientation. */
  readonly x: number
  readonly y: number
  readonly positive: boolean
}

export interface PromptBox {
  readonly x0: number
  readonly y0: number
  readonly x1: number
  readonly y1: number
}

export interface MaskCandidate {
  readonly mask: RleMask
  /** The decoder's predicted IoU. */
  readonly score: number
  readonly area: number
}

export interface SegmentPreview {
  /** Echoes the request's id so the renderer can drop stale previews. */
  readonly requestId: number
  /** Handle for segment:commit; previews live in the core until replaced or committed. */
  readonly previewId: string
  readonly candidates: readonly MaskCandidate[]
  /** Index of the candidate the studio recommends (what Enter commits). */
  readonly recommended: number
  readonly timings: { readonly embeddingMs: number; readonly decoderMs: number; readonly totalMs: number }
  /** Where the image's embedding came from: computed now, or prepared ahead (memory, disk cache). */
  readonly embeddingSource: 'encoder' | 'memory' | 'disk'
}
