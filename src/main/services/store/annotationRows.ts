/**
 * The database row of an annotation and its mapping to the public Annotation type. The history
 * stores rows in this form (JSON), so undo and redo restore every column exactly.
 */
import type { Annotation, AnnotationSource, AnnotationStatus } from './types'

export interface AnnotationRow {
  id: number
  image_id: number
  category_id: number
  rle: string | null
  area: number
  bbox_x: number | null
  bbox_y: number | null
  bbox_w: number | null
  bbox_h: number | null
  iscrowd: number
  status: AnnotationStatus
  source: AnnotationSource
  score: number | null
  model_id: string | null
  method: string | null
  /** The proposal's own mask and method, kept when it was first corrected (null otherwise). */
  proposal_rle: string | null
  proposal_method: string | null
  job_id: number | null
  revision: number
  created_at: number
  updated_at: number
}

export const ANNOTATION_COLUMNS = [
  'id', 'image_id', 'category_id', 'rle', 'area', 'bbox_x', 'bbox_y', 'bbox_w', 'bbox_h', 'iscrowd', 'status',
  'source', 'score', 'model_id', 'method', 'proposal_rle', 'proposal_method', 'job_id', 'revision', 'created_at', 'updated_at',
] as const satisfies readonly (keyof AnnotationRow)[]

export const ANNOTATION_SELECT = `SELECT a.${ANNOTATION_COLUMNS.join(', a.')}, i.height AS image_height, i.width AS image_width
  FROM annotations a JOIN images i ON i.id = a.image_id`

export type AnnotationRowWithSize = AnnotationRow & { image_height: number; image_width: number }

export function toAnnotation(row: AnnotationRowWithSize): Annotation {
  return {
    id: row.id,
    imageId: row.image_id,
    categoryId: row.category_id,
    mask:
      row.rle === null
        ? null
        : { size: [row.image_height, row.image_width], counts: row.rle, area: row.area, bbox: [row.bbox_x!, row.bbox_y!, row.bbox_w!, row.bbox_h!] },
    iscrowd: row.iscrowd === 1,
    status: row.status,
    source: row.source,
    score: row.score,
    modelId: row.model_id,
    method: row.method === null ? null : (JSON.parse(row.method) as unknown),
    jobId: row.job_id,
    revision: row.revision,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** Strips the joined image size so the row can be written back or stored in the history. */
export function plainRow(row: AnnotationRowWithSize | AnnotationRow): AnnotationRow {
  const out = {} as Record<string, unknown>
  for (const column of ANNOTATION_COLUMNS) out[column] = row[column]
  return out as unknown as AnnotationRow
}
