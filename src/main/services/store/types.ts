/**
 * Row shapes and enumerations of the project store. Everything the repositories return is a
 * plain object of these types (no database handles), so the IPC layer can send it as is.
 */

// The enumerations are the contract's (src/common/ipc/dto), so the store and the IPC layer
// cannot disagree on a status name.
export {
  ANNOTATION_SOURCES,
  ANNOTATION_STATUSES,
  IMAGE_STATES,
  type AnnotationSource,
  type AnnotationStatus,
  type ImageState,
} from '../../../common/ipc/dto/annotation'
import type { AnnotationSource, AnnotationStatus, ImageState } from '../../../common/ipc/dto/annotation'

/** COCO bbox convention: [x, y, width, height] in pixels, integer extents of the mask. */
export type Bbox = readonly [x: number, y: number, width: number, height: number]

/**
 * A mask as the store keeps it: the compressed COCO RLE string (column-major runs over the full
 * image, exactly what COCO export writes) with its size and the area and bbox measured from the
 * mask. Build one with the helpers in ./masks, never by hand, so area/bbox match the runs.
 */
export interface StoredMask {
  readonly size: readonly [height: number, width: number]
  readonly counts: string
  readonly area: number
  readonly bbox: Bbox
}

export type StatusCounts = Record<AnnotationStatus, number>
export type StateCounts = Record<ImageState, number>

export interface ImageRecord {
  readonly id: number
  /** '/'-separated path relative to the project's images root. */
  readonly relPath: string
  /** sha256 of the file bytes, lower-case hex. */
  readonly contentHash: string
  readonly byteSize: number
  /** Pixel size after EXIF orientation, i.e. as displayed and as masks are stored. */
  readonly width: number
  readonly height: number
  readonly format: string
  readonly addedAt: number
}

export interface ImageListItem extends ImageRecord {
  /** Annotations of this image by status (all categories, or the filtered category). */
  readonly counts: StatusCounts
  readonly state: ImageState
  /** Lowest proposal score (review order), null without scored proposals. */
  readonly minScore: number | null
}

export type NewImage = Omit<ImageRecord, 'id' | 'addedAt'>

export interface Category {
  readonly id: number
  readonly name: string
  readonly supercategory: string | null
  /** CSS colour, e.g. '#e6194b'. */
  readonly color: string
  readonly createdAt: number
}

export interface Annotation {
  readonly id: number
  readonly imageId: number
  readonly categoryId: number
  /** Null only for an "absent" marker, which says the object is not in the image. */
  readonly mask: StoredMask | null
  readonly iscrowd: boolean
  readonly status: AnnotationStatus
  readonly source: AnnotationSource
  /** Model confidence for proposals, null for manual work. */
  readonly score: number | null
  readonly modelId: string | null
  /** How the mask was made (prompts, PerSAM parameters...), free-form JSON. */
  readonly method: unknown
  /** The propagation job that proposed it, if any. */
  readonly jobId: number | null
  /** Incremented on every change; the edit history checks it before undoing or redoing. */
  readonly revision: number
  readonly createdAt: number
  readonly updatedAt: number
}

/** What a caller supplies to create an annotation. */
export interface AnnotationDraft {
  readonly imageId: number
  readonly categoryId: number
  /** Null only with status 'absent'. */
  readonly mask: StoredMask | null
  readonly status: AnnotationStatus
  readonly source: AnnotationSource
  readonly iscrowd?: boolean
  readonly score?: number | null
  readonly modelId?: string | null
  readonly method?: unknown
}

/** The fields an edit may change. */
export interface AnnotationPatch {
  readonly categoryId?: number
  readonly mask?: StoredMask | null
  readonly status?: AnnotationStatus
  readonly score?: number | null
  readonly modelId?: string | null
  readonly method?: unknown
}

export const emptyStatusCounts = (): StatusCounts => ({ proposed: 0, accepted: 0, rejected: 0, edited: 0, absent: 0 })
export const emptyStateCounts = (): StateCounts => ({ unlabeled: 0, 'to-review': 0, reviewed: 0, absent: 0 })
