/**
 * Images of a project: one row per file, by path relative to the images root, with its content
 * hash (to re-link a moved root) and its size after EXIF orientation. Per-image annotation
 * counts are columns kept up to date by triggers (migrations/001_core.ts), so a page of the
 * image list with its counts is one indexed range read.
 */
import { statement, type SqliteDatabase } from './connection'
import { conflict, invalidInput, notFound } from './errors'
import type { EditHistory } from './history'
import { ANNOTATION_STATUSES, emptyStatusCounts, type AnnotationStatus, type ImageListItem, type ImageRecord, type NewImage, type StatusCounts } from './types'

interface ImageRow {
  id: number
  rel_path: string
  content_hash: string
  byte_size: number
  width: number
  height: number
  format: string
  added_at: number
  n_proposed: number
  n_accepted: number
  n_rejected: number
  n_edited: number
  n_absent: number
}

const toImage = (row: ImageRow): ImageRecord => ({
  id: row.id,
  relPath: row.rel_path,
  contentHash: row.content_hash,
  byteSize: row.byte_size,
  width: row.width,
  height: row.height,
  format: row.format,
  addedAt: row.added_at,
})

const rowCounts = (row: ImageRow): StatusCounts => ({
  proposed: row.n_proposed,
  accepted: row.n_accepted,
  rejected: row.n_rejected,
  edited: row.n_edited,
  absent: row.n_absent,
})

/** Which images a page lists: those with at least one annotation of `status`, or none at all. */
export type ImageStatusFilter = AnnotationStatus | 'annotated' | 'unannotated'

export interface ImagePageQuery {
  readonly limit: number
  /** Rows to skip (random access for a virtual list) ... */
  readonly offset?: number
  /** ... or continue after this image id (cheaper for sequential reading). */
  readonly afterId?: number
  readonly status?: ImageStatusFilter
  /** Restricts the filter and the per-image counts to one category. */
  readonly categoryId?: number
}

export interface ImagePage {
  readonly items: readonly ImageListItem[]
  /** Images matching the filter, for the length of a virtual list. */
  readonly total: number
  readonly nextAfterId: number | null
}

export interface ProjectTotals {
  readonly images: number
  /** Images with at least one annotation of each status. */
  readonly imagesWith: StatusCounts & { readonly any: number }
  /** Annotations by status, all categories. */
  readonly annotations: StatusCounts
  readonly annotationsByCategory: ReadonlyMap<number, StatusCounts>
}

export const MAX_PAGE_SIZE = 1000
const NO_ANNOTATIONS = '(n_proposed + n_accepted + n_rejected + n_edited + n_absent) = 0'

export class ImageRepository {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number,
    private readonly history: EditHistory,
  ) {}

  /** Adds images in one transaction; a path already in the project is a conflict (nothing is added). */
  add(images: readonly NewImage[]): ImageRecord[] {
    const insert = statement(
      this.db,
      `INSERT INTO images(rel_path, content_hash, byte_size, width, height, format, added_at)
       VALUES (@relPath, @contentHash, @byteSize, @width, @height, @format, @addedAt) RETURNING *`,
    )
    return this.db.transaction(() => {
      const addedAt = this.now()
      return images.map((image) => {
        if (this.byRelPath(image.relPath)) throw conflict(`image ${image.relPath} is already in the project`)
        return toImage(insert.get({ ...image, addedAt }) as ImageRow)
      })
    })()
  }

  get(id: number): ImageRecord | undefined {
    const row = statement(this.db, 'SELECT * FROM images WHERE id = ?').get(id) as ImageRow | undefined
    return row ? toImage(row) : undefined
  }

  require(id: number): ImageRecord {
    const image = this.get(id)
    if (!image) throw notFound(`image ${id}`)
    return image
  }

  byRelPath(relPath: string): ImageRecord | undefined {
    const row = statement(this.db, 'SELECT * FROM images WHERE rel_path = ?').get(relPath) as ImageRow | undefined
    return row ? toImage(row) : undefined
  }

  byHash(contentHash: string): ImageRecord[] {
    return (statement(this.db, 'SELECT * FROM images WHERE content_hash = ? ORDER BY id').all(contentHash) as ImageRow[]).map(toImage)
  }

  count(): number {
    return (statement(this.db, 'SELECT count(*) AS n FROM images').get() as { n: number }).n
  }

  /** Every image in id order, streamed (for exports and re-linking). */
  *iterate(): Generator<ImageRecord> {
    for (const row of statement(this.db, 'SELECT * FROM images ORDER BY id').iterate() as Iterable<ImageRow>) yield toImage(row)
  }

  /** One page of the image list with per-image counts by status. */
  page(query: ImagePageQuery): ImagePage {
    const limit = Math.trunc(query.limit)
    if (!(limit >= 1 && limit <= MAX_PAGE_SIZE)) throw invalidInput(`page limit must be 1..${MAX_PAGE_SIZE}, got ${query.limit}`)
    const where: string[] = []
    const params: (number | string)[] = []
    const category = query.categoryId
    if (category !== undefined) {
      const status = query.status
      if (status === 'unannotated') {
        where.push('NOT EXISTS (SELECT 1 FROM annotations a WHERE a.image_id = images.id AND a.category_id = ?)')
        params.push(category)
      } else if (status === undefined || status === 'annotated') {
        where.push('EXISTS (SELECT 1 FROM annotations a WHERE a.image_id = images.id AND a.category_id = ?)')
        params.push(category)
      } else {
        where.push('EXISTS (SELECT 1 FROM annotations a WHERE a.image_id = images.id AND a.category_id = ? AND a.status = ?)')
        params.push(category, status)
      }
    } else if (query.status === 'unannotated') where.push(NO_ANNOTATIONS)
    else if (query.status === 'annotated') where.push(`NOT ${NO_ANNOTATIONS}`)
    else if (query.status !== undefined) where.push(`n_${checkedStatus(query.status)} > 0`)

    const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''
    const total = this.filteredTotal(query, filter, params)
    const pageWhere = query.afterId !== undefined ? `${filter === '' ? 'WHERE' : `${filter} AND`} id > ?` : filter
    const pageParams = query.afterId !== undefined ? [...params, query.afterId] : params
    const rows = statement(this.db, `SELECT * FROM images ${pageWhere} ORDER BY id LIMIT ? OFFSET ?`).all(
      ...pageParams,
      limit,
      query.afterId === undefined ? Math.max(0, Math.trunc(query.offset ?? 0)) : 0,
    ) as ImageRow[]
    const counts = category === undefined ? new Map(rows.map((row) => [row.id, rowCounts(row)])) : this.countsInCategory(rows, category)
    return {
      items: rows.map((row) => ({ ...toImage(row), counts: counts.get(row.id) ?? emptyStatusCounts() })),
      total,
      nextAfterId: rows.length === limit ? rows[rows.length - 1]!.id : null,
    }
  }

  totals(): ProjectTotals {
    const imagesWith = { ...emptyStatusCounts(), any: 0 }
    for (const row of statement(this.db, 'SELECT status, n FROM image_status_counts').all() as { status: keyof typeof imagesWith; n: number }[]) {
      imagesWith[row.status] = row.n
    }
    const annotations = emptyStatusCounts()
    const annotationsByCategory = new Map<number, StatusCounts>()
    for (const row of statement(this.db, 'SELECT category_id, status, n FROM annotation_counts WHERE n > 0').all() as {
      category_id: number
      status: AnnotationStatus
      n: number
    }[]) {
      annotations[row.status] += row.n
      let byStatus = annotationsByCategory.get(row.category_id)
      if (!byStatus) annotationsByCategory.set(row.category_id, (byStatus = emptyStatusCounts()))
      byStatus[row.status] += row.n
    }
    return { images: this.count(), imagesWith, annotations, annotationsByCategory }
  }

  /** Rewrites relative paths (re-linking, widening the images root) in one transaction. */
  setRelPaths(changes: readonly { id: number; relPath: string }[]): void {
    const update = statement(this.db, 'UPDATE images SET rel_path = ? WHERE id = ?')
    this.db.transaction(() => {
      for (const change of changes) update.run(change.relPath, change.id)
    })()
  }

  /**
   * Removes images with their annotations and job entries. Not undoable: the edit history is
   * cleared, because its steps may refer to the removed annotations.
   */
  remove(ids: readonly number[]): void {
    const remove = statement(this.db, 'DELETE FROM images WHERE id = ?')
    this.db.transaction(() => {
      for (const id of ids) if (remove.run(id).changes === 0) throw notFound(`image ${id}`)
      this.history.clear()
    })()
  }

  private filteredTotal(query: ImagePageQuery, filter: string, params: (number | string)[]): number {
    // Status filters without a category are answered by the trigger-maintained counters.
    if (query.categoryId === undefined && query.status !== undefined) {
      const key = query.status === 'unannotated' || query.status === 'annotated' ? 'any' : query.status
      const withStatus = (statement(this.db, 'SELECT n FROM image_status_counts WHERE status = ?').get(key) as { n: number }).n
      return query.status === 'unannotated' ? this.count() - withStatus : withStatus
    }
    return (statement(this.db, `SELECT count(*) AS n FROM images ${filter}`).get(...params) as { n: number }).n
  }

  private countsInCategory(rows: readonly ImageRow[], categoryId: number): Map<number, StatusCounts> {
    const counts = new Map<number, StatusCounts>()
    if (rows.length === 0) return counts
    const ids = JSON.stringify(rows.map((row) => row.id))
    const grouped = statement(
      this.db,
      `SELECT image_id, status, count(*) AS n FROM annotations
       WHERE image_id IN (SELECT value FROM json_each(?)) AND category_id = ? GROUP BY image_id, status`,
    ).all(ids, categoryId) as { image_id: number; status: AnnotationStatus; n: number }[]
    for (const row of grouped) {
      let byStatus = counts.get(row.image_id)
      if (!byStatus) counts.set(row.image_id, (byStatus = emptyStatusCounts()))
      byStatus[row.status] = row.n
    }
    return counts
  }
}

function checkedStatus(status: string): AnnotationStatus {
  if (!(ANNOTATION_STATUSES as readonly string[]).includes(status)) throw invalidInput(`unknown status filter "${status}"`)
  return status as AnnotationStatus
}
