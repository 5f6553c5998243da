/**
 * Images of a project: one row per file, by path relative to the images root, with its content
 * hash (to re-link a moved root) and its size after EXIF orientation. Annotation counters, the
 * review state and the lowest proposal score are kept by triggers (migrations/001_core.ts) for
 * all categories (columns here) and per category (image_categories), so a page of the list with
 * its counts and totals is an indexed range read, whatever the size of the project.
 */
import { statement, type SqliteDatabase } from './connection'
import { conflict, invalidInput, notFound } from './errors'
import type { EditHistory } from './history'
import { REVIEW_KEY } from './migrations/001_core'
import {
  IMAGE_STATES,
  emptyStateCounts,
  emptyStatusCounts,
  type AnnotationStatus,
  type ImageListItem,
  type ImageRecord,
  type ImageState,
  type NewImage,
  type StateCounts,
  type StatusCounts,
} from './types'

/** An `images` row as selected with IMAGE_COLUMNS. */
export interface ImageRow {
  id: number
  rel_path: string
  content_hash: string
  byte_size: number
  width: number
  height: number
  format: string
  added_at: number
}

interface CounterRow {
  n_proposed: number
  n_accepted: number
  n_rejected: number
  n_edited: number
  n_absent: number
  min_score: number | null
  state: ImageState
}

export const toImage = (row: ImageRow): ImageRecord => ({
  id: row.id,
  relPath: row.rel_path,
  contentHash: row.content_hash,
  byteSize: row.byte_size,
  width: row.width,
  height: row.height,
  format: row.format,
  addedAt: row.added_at,
})

const toCounts = (row: CounterRow): StatusCounts => ({
  proposed: row.n_proposed,
  accepted: row.n_accepted,
  rejected: row.n_rejected,
  edited: row.n_edited,
  absent: row.n_absent,
})

export const IMAGE_COLUMNS = 'i.id, i.rel_path, i.content_hash, i.byte_size, i.width, i.height, i.format, i.added_at'

export interface ImagePageQuery {
  readonly offset: number
  readonly limit: number
  readonly state?: ImageState
  /** The list seen from one category: its counts, states and scores only. */
  readonly categoryId?: number
  /** 'name': by path; 'review': least confident proposal first, then by id. */
  readonly order?: 'name' | 'review'
}

export interface ImagePage {
  readonly items: readonly ImageListItem[]
  /** Images matching the filter (for the length of a virtual list). */
  readonly total: number
  /** Images per state, for the same category scope as the page. */
  readonly stateCounts: StateCounts
  /** Annotations per status, same scope. */
  readonly annotationCounts: StatusCounts
}

export const MAX_PAGE_SIZE = 1000

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
       VALUES (@relPath, @contentHash, @byteSize, @width, @height, @format, @addedAt)`,
    )
    return this.db.transaction(() => {
      const addedAt = this.now()
      return images.map((image) => {
        try {
          const id = Number(insert.run({ ...image, addedAt }).lastInsertRowid)
          return { id, ...image, addedAt }
        } catch (error) {
          if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw conflict(`image ${image.relPath} is already in the project`)
          throw error
        }
      })
    })()
  }

  get(id: number): ImageRecord | undefined {
    const row = statement(this.db, `SELECT ${IMAGE_COLUMNS} FROM images i WHERE i.id = ?`).get(id) as ImageRow | undefined
    return row ? toImage(row) : undefined
  }

  require(id: number): ImageRecord {
    const image = this.get(id)
    if (!image) throw notFound(`image ${id}`)
    return image
  }

  /** The list entry of one image (counts and state for all categories, or one). */
  item(id: number, categoryId?: number): ImageListItem {
    const image = this.require(id)
    return { ...image, ...this.countersFor([id], categoryId).get(id)! }
  }

  byRelPath(relPath: string): ImageRecord | undefined {
    const row = statement(this.db, `SELECT ${IMAGE_COLUMNS} FROM images i WHERE i.rel_path = ?`).get(relPath) as ImageRow | undefined
    return row ? toImage(row) : undefined
  }

  /**
   * Images with this content. Not indexed (a random 64-character key made every image insert
   * several times slower): this scans, so batch work should use contentHashes() instead.
   */
  byHash(contentHash: string): ImageRecord[] {
    return (statement(this.db, `SELECT ${IMAGE_COLUMNS} FROM images i WHERE i.content_hash = ? ORDER BY i.id`).all(contentHash) as ImageRow[]).map(toImage)
  }

  /** Every content hash with the path of its first image, for duplicate checks during imports. */
  contentHashes(): Map<string, string> {
    const out = new Map<string, string>()
    for (const row of statement(this.db, 'SELECT content_hash, rel_path FROM images ORDER BY id').iterate() as Iterable<{ content_hash: string; rel_path: string }>) {
      if (!out.has(row.content_hash)) out.set(row.content_hash, row.rel_path)
    }
    return out
  }

  count(): number {
    return (statement(this.db, 'SELECT count(*) AS n FROM images').get() as { n: number }).n
  }

  /** Every image in id order, streamed (exports, re-linking). */
  *iterate(): Generator<ImageRecord> {
    for (const row of statement(this.db, `SELECT ${IMAGE_COLUMNS} FROM images i ORDER BY i.id`).iterate() as Iterable<ImageRow>) yield toImage(row)
  }

  /** One page of the image list with per-image counts, plus the totals of the same scope. */
  page(query: ImagePageQuery): ImagePage {
    const limit = Math.trunc(query.limit)
    if (!(limit >= 1 && limit <= MAX_PAGE_SIZE)) throw invalidInput(`page limit must be 1..${MAX_PAGE_SIZE}, got ${query.limit}`)
    const offset = Math.max(0, Math.trunc(query.offset))
    if (query.state !== undefined && !(IMAGE_STATES as readonly string[]).includes(query.state)) throw invalidInput(`unknown image state "${query.state}"`)
    const ids = this.pageIds(query, limit, offset)
    const rows = ids.length === 0 ? [] : (statement(this.db, `SELECT ${IMAGE_COLUMNS} FROM images i WHERE i.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as ImageRow[])
    const byId = new Map(rows.map((row) => [row.id, toImage(row)]))
    const counters = this.countersFor(ids, query.categoryId)
    const stateCounts = this.stateCounts(query.categoryId)
    return {
      items: ids.map((id) => ({ ...byId.get(id)!, ...counters.get(id)! })),
      total: query.state === undefined ? this.count() : stateCounts[query.state],
      stateCounts,
      annotationCounts: this.annotationCounts(query.categoryId),
    }
  }

  /** Images per state, for all categories or one ('unlabeled' = the rest). */
  stateCounts(categoryId?: number): StateCounts {
    const counts = emptyStateCounts()
    const rows = statement(this.db, 'SELECT state, n FROM image_state_counts WHERE category_id = ?').all(categoryId ?? 0) as { state: ImageState; n: number }[]
    let labeled = 0
    for (const row of rows) {
      counts[row.state] = row.n
      labeled += row.n
    }
    counts.unlabeled = this.count() - labeled
    return counts
  }

  /** Annotations per status, for all categories or one. */
  annotationCounts(categoryId?: number): StatusCounts {
    const counts = emptyStatusCounts()
    const rows = (
      categoryId === undefined
        ? statement(this.db, 'SELECT status, sum(n) AS n FROM annotation_counts GROUP BY status').all()
        : statement(this.db, 'SELECT status, n FROM annotation_counts WHERE category_id = ?').all(categoryId)
    ) as { status: AnnotationStatus; n: number }[]
    for (const row of rows) counts[row.status] = row.n
    return counts
  }

  /**
   * Rewrites relative paths (re-linking) in one transaction. Paths go through a temporary
   * value first, so changes that swap or rotate names do not trip the uniqueness check midway.
   */
  setRelPaths(changes: readonly { id: number; relPath: string }[]): void {
    const update = statement(this.db, 'UPDATE images SET rel_path = ? WHERE id = ?')
    this.db.transaction(() => {
      for (const change of changes) if (update.run(`\u0000relinking/${change.id}`, change.id).changes === 0) throw notFound(`image ${change.id}`)
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

  /** The ids of one page, in page order: every branch reads an index in the requested order and stops after offset + limit entries. */
  private pageIds(query: ImagePageQuery, limit: number, offset: number): number[] {
    const ids = (sql: string, ...params: (string | number)[]): number[] =>
      (statement(this.db, sql).all(...params) as { id: number }[]).map((row) => row.id)
    const review = query.order === 'review'
    const { state, categoryId } = query
    if (categoryId === undefined) {
      const where = state === undefined ? '' : 'WHERE state = ?'
      const order = review ? `${REVIEW_KEY}, id` : 'rel_path'
      return ids(`SELECT id FROM images ${where} ORDER BY ${order} LIMIT ? OFFSET ?`, ...(state === undefined ? [] : [state]), limit, offset)
    }
    const labeledIn = (states: string): string =>
      `EXISTS (SELECT 1 FROM image_categories c WHERE c.image_id = i.id AND c.category_id = ? AND c.state IN (${states}))`
    if (state === 'unlabeled') {
      const order = review ? 'i.id' : 'i.rel_path'
      return ids(`SELECT i.id FROM images i WHERE NOT ${labeledIn("'to-review', 'reviewed', 'absent'")} ORDER BY ${order} LIMIT ? OFFSET ?`, categoryId, limit, offset)
    }
    if (state !== undefined && review) {
      return ids(`SELECT image_id AS id FROM image_categories WHERE category_id = ? AND state = ? ORDER BY ${REVIEW_KEY}, image_id LIMIT ? OFFSET ?`, categoryId, state, limit, offset)
    }
    if (state !== undefined) {
      return ids('SELECT image_id AS id FROM image_categories WHERE category_id = ? AND state = ? ORDER BY rel_path LIMIT ? OFFSET ?', categoryId, state, limit, offset)
    }
    if (!review) return ids('SELECT id FROM images ORDER BY rel_path LIMIT ? OFFSET ?', limit, offset)
    // Review order over every image: the category's images to review by score, then the rest by id.
    const toReview = this.stateCounts(categoryId)['to-review']
    const first =
      offset < toReview
        ? ids(`SELECT image_id AS id FROM image_categories WHERE category_id = ? AND state = 'to-review' ORDER BY ${REVIEW_KEY}, image_id LIMIT ? OFFSET ?`, categoryId, limit, offset)
        : []
    if (first.length === limit) return first
    const rest = ids(
      `SELECT i.id FROM images i WHERE NOT ${labeledIn("'to-review'")} ORDER BY i.id LIMIT ? OFFSET ?`,
      categoryId,
      limit - first.length,
      Math.max(0, offset - toReview),
    )
    return [...first, ...rest]
  }

  private countersFor(ids: readonly number[], categoryId?: number): Map<number, Pick<ImageListItem, 'counts' | 'state' | 'minScore'>> {
    const out = new Map<number, Pick<ImageListItem, 'counts' | 'state' | 'minScore'>>()
    for (const id of ids) out.set(id, { counts: emptyStatusCounts(), state: 'unlabeled', minScore: null })
    if (ids.length === 0) return out
    const columns = 'n_proposed, n_accepted, n_rejected, n_edited, n_absent, min_score, state'
    const rows = (
      categoryId === undefined
        ? statement(this.db, `SELECT id, ${columns} FROM images WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids))
        : statement(this.db, `SELECT image_id AS id, ${columns} FROM image_categories WHERE category_id = ? AND image_id IN (SELECT value FROM json_each(?))`).all(
            categoryId,
            JSON.stringify(ids),
          )
    ) as (CounterRow & { id: number })[]
    for (const row of rows) out.set(row.id, { counts: toCounts(row), state: row.state, minScore: row.min_score })
    return out
  }
}
