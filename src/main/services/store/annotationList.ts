/**
 * The annotation list across images (the contract's annotation:list): summaries without masks,
 * least confident first or by image, paged by offset, with the total from the counters.
 */
import type { AnnotationSummary } from '../../../common/ipc/dto/annotation'
import { statement, type SqliteDatabase } from './connection'
import { invalidInput } from './errors'
import { SCORE_KEY } from './migrations/001_core'
import { ANNOTATION_STATUSES, type AnnotationStatus } from './types'

export interface AnnotationListQuery {
  readonly categoryId?: number
  /** Default: ['proposed']. */
  readonly statuses?: readonly AnnotationStatus[]
  readonly order?: 'score' | 'image'
  readonly offset?: number
  readonly limit: number
}


/**
 * Annotations without their masks across images (the review queue): `order` 'score' is least
 * confident first (unscored last, then by id), 'image' by image path then id. Each form reads
 * indexes in order (several statuses: one walk per status, merged) and stops after offset + limit.
 */
export function listAnnotations(db: SqliteDatabase, query: AnnotationListQuery): { total: number; items: AnnotationSummary[] } {
  const statuses = query.statuses ?? ['proposed']
  for (const status of statuses) checkedStatus(status)
  const where: string[] = []
  const params: (string | number)[] = []
  if (statuses.length === 1) {
    where.push('a.status = ?')
    params.push(statuses[0]!)
  } else {
    where.push('a.status IN (SELECT value FROM json_each(?))')
    params.push(JSON.stringify(statuses))
  }
  if (query.categoryId !== undefined) {
    where.push('a.category_id = ?')
    params.push(query.categoryId)
  }
  // Step 1 finds the page's ids from covering indexes only, so the rows skipped by OFFSET cost
  // an index step each; step 2 reads the few rows of the page.
  const key = `${SCORE_KEY.replace('score', 'a.score')} AS score_key`
  let sql: string
  if (query.order === 'image') {
    // CROSS JOIN fixes the loop order: images by path (an index walk), then each image's annotations.
    sql = `SELECT a.id FROM images i CROSS JOIN annotations a ON a.image_id = i.id WHERE ${where.join(' AND ')} ORDER BY i.rel_path, a.id LIMIT ? OFFSET ?`
  } else if (statuses.length === 1) {
    sql = `SELECT a.id, ${key} FROM annotations a WHERE ${where.join(' AND ')} ORDER BY score_key, a.id LIMIT ? OFFSET ?`
  } else {
    // One ordered index walk per status, merged (SQLite's MERGE of UNION ALL), instead of a sort.
    const category = query.categoryId === undefined ? '' : ' AND a.category_id = ?'
    sql = `${statuses.map(() => `SELECT a.id, ${key} FROM annotations a WHERE a.status = ?${category}`).join(' UNION ALL ')} ORDER BY score_key, id LIMIT ? OFFSET ?`
    params.length = 0
    for (const status of statuses) params.push(status, ...(query.categoryId === undefined ? [] : [query.categoryId]))
  }
  const ids = (statement(db, sql).all(...params, query.limit, query.offset ?? 0) as { id: number }[]).map((row) => row.id)
  const details = statement(
    db,
    `SELECT a.id, a.image_id, a.category_id, a.status, a.score, EXISTS (SELECT 1 FROM reference_members m WHERE m.annotation_id = a.id) AS is_reference
     FROM annotations a WHERE a.id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(ids)) as {
    id: number
    image_id: number
    category_id: number
    status: AnnotationStatus
    score: number | null
    is_reference: number
  }[]
  const byId = new Map(details.map((row) => [row.id, row]))
  const rows = ids.map((id) => byId.get(id)!)
  const total = (
    statement(db, `SELECT coalesce(sum(n), 0) AS n FROM annotation_counts WHERE status IN (SELECT value FROM json_each(?)) AND (? IS NULL OR category_id = ?)`).get(
      JSON.stringify(statuses),
      query.categoryId ?? null,
      query.categoryId ?? null,
    ) as { n: number }
  ).n
  return {
    total,
    items: rows.map((row) => ({ id: row.id, imageId: row.image_id, categoryId: row.category_id, status: row.status, score: row.score, isReference: row.is_reference === 1 })),
  }
}

function checkedStatus(status: AnnotationStatus): AnnotationStatus {
  if (!(ANNOTATION_STATUSES as readonly string[]).includes(status)) throw invalidInput(`unknown annotation status "${status}"`)
  return status
}
