/** Images, annotations and their review state. Masks travel as compressed COCO RLE. */

export const ANNOTATION_STATUSES = ['proposed', 'accepted', 'rejected', 'edited', 'absent'] as const
export type AnnotationStatus = (typeof ANNOTATION_STATUSES)[number]

export const ANNOTATION_SOURCES = ['manual', 'persam', 'persam-f'] as const
export type AnnotationSource = (typeof ANNOTATION_SOURCES)[number]

/**
 * Where an image stands in the workflow: nothing yet, proposals waiting for review, reviewed
 * (every annotation accepted, edited, rejected or absent), or marked as not showing the object.
 */
export const IMAGE_STATES = ['unlabeled', 'to-review', 'reviewed', 'absent'] as const
export type ImageState = (typeof IMAGE_STATES)[number]

/** COCO compressed RLE: size is [height, width], counts the 6-bit string. */
export interface RleMask {
  readonly size: readonly [number, number]
  readonly counts: string
}

export interface AnnotationInfo {
  readonly id: number
  readonly imageId: number
  readonly categoryId: number
  readonly status: AnnotationStatus
  readonly source: AnnotationSource
  /** Propagation confidence in [0, 1]; null for manual annotations. */
  readonly score: number | null
  readonly isReference: boolean
  /** Null for "absent" markers, which carry no mask. */
  readonly mask: RleMask | null
  /** [x, y, width, height] in image pixels. */
  readonly bbox: readonly [number, number, number, number] | null
  readonly area: number
  readonly modelId: string | null
  /** Method details recorded by propagation (points, chosen mask index, decoder path, ...). */
  readonly details: Readonly<Record<string, unknown>> | null
  readonly createdAt: string
  readonly updatedAt: string
}

/** An annotation without its mask: enough to order and walk a review queue. */
export interface AnnotationSummary {
  readonly id: number
  readonly imageId: number
  readonly categoryId: number
  readonly status: AnnotationStatus
  readonly score: number | null
  readonly isReference: boolean
}

export interface ImageListItem {
  readonly id: number
  readonly fileName: string
  readonly width: number
  readonly height: number
  /** SHA-256 of the image file, lower-case hex: media URLs carry a prefix of it (see ../media). */
  readonly contentHash: string
  readonly state: ImageState
  readonly annotationCount: number
  /** Lowest proposal score on the image, for review ordering; null without proposals. */
  readonly minScore: number | null
}

export type ImageStateCounts = Readonly<Record<ImageState, number>>
export type AnnotationStatusCounts = Readonly<Record<AnnotationStatus, number>>

export interface ImagePage {
  readonly total: number
  readonly offset: number
  readonly items: readonly ImageListItem[]
  readonly imageCounts: ImageStateCounts
  readonly annotationCounts: AnnotationStatusCounts
}

export interface ImageDetail {
  readonly image: ImageListItem & { readonly relativePath: string }
  readonly annotations: readonly AnnotationInfo[]
}

export interface HistoryState {
  readonly canUndo: boolean
  readonly canRedo: boolean
  readonly undoLabel: string | null
  readonly redoLabel: string | null
}

/** Result of undo/redo: what changed, so the renderer can refresh only that. */
export interface HistoryStep {
  readonly label: string
  readonly imageIds: readonly number[]
  readonly history: HistoryState
}
