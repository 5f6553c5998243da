/**
 * Annotations: one mask (compressed COCO RLE + area + bbox) of one category on one image, with
 * its review status and provenance. Every change made here is one transaction and is logged in
 * the edit history; only imports write without history (`importMany`), as one transaction.
 */
import { ANNOTATION_COLUMNS, ANNOTATION_SELECT, plainRow, toAnnotation, type AnnotationRow, type AnnotationRowWithSize } from './annotationRows'
import { statement, type SqliteDatabase } from './connection'
import type { AnnotationSummary } from '../../../common/ipc/dto/annotation'
import { listAnnotations, type AnnotationListQuery } from './annotationList'
import { AGGREGATE_COUNTERS, COUNTER_COLUMNS } from './migrations/001_core'
import { invalidInput, notFound } from './errors'
import type { EditHistory } from './history'
import {
  ANNOTATION_SOURCES,
  ANNOTATION_STATUSES,
  type Annotation,
  type AnnotationDraft,
  type AnnotationPatch,
  type AnnotationStatus,
  type StoredMask,
} from './types'

const INSERT_COLUMNS = ANNOTATION_COLUMNS.filter((column) => column !== 'id')
/** Columns an importSelect query yields, in this order. */
export const ANNOTATION_INSERT_COLUMNS: readonly string[] = INSERT_COLUMNS
const INSERT_SQL = `INSERT INTO annotations(${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_COLUMNS.map((c) => `@${c}`).join(', ')}) RETURNING *`
const RLE_CHARACTERS = /^[0-o]+$/

export class AnnotationRepository {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number,
    private readonly history: EditHistory,
  ) {}

  get(id: number): Annotation | undefined {
    const row = statement(this.db, `${ANNOTATION_SELECT} WHERE a.id = ?`).get(id) as AnnotationRowWithSize | undefined
    return row ? toAnnotation(row) : undefined
  }

  require(id: number): Annotation {
    const annotation = this.get(id)
    if (!annotation) throw notFound(`annotation ${id}`)
    return annotation
  }

  forImage(imageId: number, options: { categoryId?: number } = {}): Annotation[] {
    const rows = (
      options.categoryId === undefined
        ? statement(this.db, `${ANNOTATION_SELECT} WHERE a.image_id = ? ORDER BY a.id`).all(imageId)
        : statement(this.db, `${ANNOTATION_SELECT} WHERE a.image_id = ? AND a.category_id = ? ORDER BY a.id`).all(imageId, options.categoryId)
    ) as AnnotationRowWithSize[]
    return rows.map(toAnnotation)
  }

  /** Ids of the images with a mask of `categoryId` in one of `statuses`, ascending. */
  imageIdsWithMasks(categoryId: number, statuses: readonly AnnotationStatus[]): number[] {
    return statement(
      this.db,
      'SELECT DISTINCT image_id FROM annotations WHERE category_id = ? AND rle IS NOT NULL AND status IN (SELECT value FROM json_each(?)) ORDER BY image_id',
    )
      .pluck()
      .all(categoryId, JSON.stringify(statuses)) as number[]
  }

  /** The masks on an image with their category names (an import's duplicate check). */
  masksByCategoryName(imageId: number): { categoryName: string; counts: string }[] {
    return statement(
      this.db,
      'SELECT c.name AS categoryName, a.rle AS counts FROM annotations a JOIN categories c ON c.id = a.category_id WHERE a.image_id = ? AND a.rle IS NOT NULL',
    ).all(imageId) as { categoryName: string; counts: string }[]
  }

  /** Annotations without masks across images, e.g. the review queue (see annotationList.ts). */
  list(query: AnnotationListQuery): { total: number; items: AnnotationSummary[] } {
    return listAnnotations(this.db, query)
  }

  create(draft: AnnotationDraft, label = 'Add annotation'): Annotation {
    return this.createMany([draft], label)[0]!
  }

  /** Creates several annotations as one undo step. */
  createMany(drafts: readonly AnnotationDraft[], label = `Add ${drafts.length} annotations`): Annotation[] {
    return this.history.record(label, () => drafts.map((draft) => this.insertLogged(draft, null)))
  }

  /**
   * Creates annotations for a propagation run; the caller (PropagationRunRepository.recordResult)
   * runs it inside the run's history step and transaction.
   */
  insertForRun(draft: AnnotationDraft, jobId: number): Annotation {
    return this.insertLogged(draft, jobId)
  }

  update(id: number, patch: AnnotationPatch, label = 'Edit annotation'): Annotation {
    return this.history.record(label, () => this.applyPatch(id, patch))
  }

  /** A review action on many annotations (accept, reject, mark absent): one undo step. */
  setStatus(ids: readonly number[], status: AnnotationStatus, label = `Mark ${ids.length} as ${status}`): Annotation[] {
    return this.history.record(label, () => ids.map((id) => this.applyPatch(id, { status })))
  }

  /** Deletes annotations (and their reference memberships) as one undo step. */
  remove(ids: readonly number[], label = `Delete ${ids.length} annotations`): void {
    this.history.record(label, () => {
      for (const id of ids) {
        const row = this.row(id)
        const memberships = statement(this.db, 'SELECT set_id, annotation_id, added_at FROM reference_members WHERE annotation_id = ?').all(id) as {
          set_id: number
          annotation_id: number
          added_at: number
        }[]
        for (const membership of memberships) {
          statement(this.db, 'DELETE FROM reference_members WHERE set_id = ? AND annotation_id = ?').run(membership.set_id, id)
          this.history.logReference(membership, null)
        }
        statement(this.db, 'DELETE FROM annotations WHERE id = ?').run(id)
        this.history.logAnnotation(row, null)
      }
    })
  }

  /**
   * Bulk insert for imports, in one transaction: no history (an import is not an undo step) and
   * no per-row counting. The insert trigger is dropped inside the transaction and re-created
   * before it commits (SQLite DDL is transactional: a crash or an error brings it back with the
   * rollback), and the touched images are recounted set-wise at the end; invoking even an idle
   * trigger costs ~10 us per row, and per-row counter updates several times that. The caller
   * has checked mask sizes against the images; the foreign keys check the ids. Returns the new
   * ids in the order of `drafts`.
   */
  importMany(drafts: Iterable<AnnotationDraft>): number[] {
    const insert = statement(this.db, INSERT_SQL.replace(' RETURNING *', ''))
    const now = this.now()
    const ids: number[] = []
    this.bulk(() => {
      for (const draft of drafts) ids.push(Number(insert.run(this.rowValues(draft, null, now)).lastInsertRowid))
      return ids.length
    })
    return ids
  }

  /**
   * importMany for rows already in SQL (the import stager's table, see importStager.ts): `select`
   * must produce the columns of ANNOTATION_INSERT_COLUMNS, in order. Same transaction and
   * counting as importMany. Store-internal: code outside the store stages through
   * Project.beginImport.
   */
  importSelect(select: string, ...params: unknown[]): number {
    return this.bulk(() => statement(this.db, `INSERT INTO annotations(${ANNOTATION_INSERT_COLUMNS.join(', ')}) ${select}`).run(...params).changes)
  }

  private bulk(insertRows: () => number): number {
    return this.db.transaction(() => {
      const sequence = statement(this.db, "SELECT seq FROM sqlite_sequence WHERE name = 'annotations'").get() as { seq: number } | undefined
      const firstId = (sequence?.seq ?? 0) + 1
      const trigger = statement(this.db, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'annotations_counted_on_insert'").get() as { sql: string }
      this.db.exec('DROP TRIGGER annotations_counted_on_insert')
      const count = insertRows()
      this.db.exec(trigger.sql)
      if (count > 0) recountFrom(this.db, firstId)
      return count
    })()
  }

  private insertLogged(draft: AnnotationDraft, jobId: number | null): Annotation {
    const image = statement(this.db, 'SELECT width, height FROM images WHERE id = ?').get(draft.imageId) as { width: number; height: number } | undefined
    if (!image) throw notFound(`image ${draft.imageId}`)
    checkMaskOrMarker(draft.mask, draft.status, image)
    const row = statement(this.db, INSERT_SQL).get(this.rowValues(draft, jobId, this.now())) as AnnotationRow
    this.history.logAnnotation(null, row)
    return toAnnotation({ ...row, image_height: image.height, image_width: image.width })
  }

  private applyPatch(id: number, patch: AnnotationPatch): Annotation {
    const before = this.row(id)
    const after: AnnotationRowWithSize = { ...before, revision: before.revision + 1, updated_at: this.now() }
    if (patch.categoryId !== undefined) {
      if (!statement(this.db, 'SELECT 1 FROM categories WHERE id = ?').get(patch.categoryId)) throw notFound(`category ${patch.categoryId}`)
      after.category_id = patch.categoryId
    }
    if (patch.status !== undefined) after.status = checkedStatus(patch.status)
    if (patch.score !== undefined) after.score = patch.score
    if (patch.modelId !== undefined) after.model_id = patch.modelId
    if (patch.method !== undefined) after.method = patch.method === null ? null : JSON.stringify(patch.method)
    if (patch.mask !== undefined) Object.assign(after, maskColumns(patch.mask))
    keepProposal(before, after)
    checkMaskOrMarker(toAnnotation(after).mask, after.status, { height: before.image_height, width: before.image_width })
    if (after.category_id !== before.category_id) {
      // A reference belongs to its category's sets; moving the annotation takes it out of them.
      for (const membership of statement(this.db, 'SELECT set_id, annotation_id, added_at FROM reference_members WHERE annotation_id = ?').all(id) as {
        set_id: number
        annotation_id: number
        added_at: number
      }[]) {
        statement(this.db, 'DELETE FROM reference_members WHERE set_id = ? AND annotation_id = ?').run(membership.set_id, id)
        this.history.logReference(membership, null)
      }
    }
    const assignments = ANNOTATION_COLUMNS.filter((c) => c !== 'id').map((c) => `${c} = @${c}`).join(', ')
    statement(this.db, `UPDATE annotations SET ${assignments} WHERE id = @id`).run(plainRow(after))
    this.history.logAnnotation(plainRow(before), plainRow(after))
    return toAnnotation(after)
  }

  private row(id: number): AnnotationRowWithSize {
    const row = statement(this.db, `${ANNOTATION_SELECT} WHERE a.id = ?`).get(id) as AnnotationRowWithSize | undefined
    if (!row) throw notFound(`annotation ${id}`)
    return row
  }

  private rowValues(draft: AnnotationDraft, jobId: number | null, now: number): Omit<AnnotationRow, 'id'> {
    if (!(ANNOTATION_SOURCES as readonly string[]).includes(draft.source)) throw invalidInput(`unknown annotation source "${draft.source}"`)
    return {
      image_id: draft.imageId,
      category_id: draft.categoryId,
      ...maskColumns(draft.mask),
      iscrowd: draft.iscrowd ? 1 : 0,
      status: checkedStatus(draft.status),
      source: draft.source,
      score: draft.score ?? null,
      model_id: draft.modelId ?? null,
      method: draft.method === undefined || draft.method === null ? null : JSON.stringify(draft.method),
      proposal_rle: null,
      proposal_method: null,
      job_id: jobId,
      revision: 1,
      created_at: now,
      updated_at: now,
    }
  }
}

/** Recounts the images touched by annotations with id >= firstId (see importMany). */
function recountFrom(db: SqliteDatabase, firstId: number): void {
  db.exec('CREATE TEMP TABLE IF NOT EXISTS touched_images(id INTEGER PRIMARY KEY)')
  statement(db, 'DELETE FROM temp.touched_images').run()
  statement(db, 'INSERT INTO temp.touched_images SELECT DISTINCT image_id FROM annotations WHERE id >= ?').run(firstId)
  statement(
    db,
    `UPDATE images SET (${COUNTER_COLUMNS}) = (SELECT ${AGGREGATE_COUNTERS} FROM annotations a WHERE a.image_id = images.id)
     WHERE id IN (SELECT id FROM temp.touched_images)`,
  ).run()
  statement(
    db,
    `INSERT INTO image_categories(image_id, category_id, rel_path, ${COUNTER_COLUMNS})
     SELECT a.image_id, a.category_id, (SELECT i.rel_path FROM images i WHERE i.id = a.image_id), ${AGGREGATE_COUNTERS}
     FROM annotations a WHERE a.image_id IN (SELECT id FROM temp.touched_images)
     GROUP BY a.image_id, a.category_id
     ON CONFLICT(image_id, category_id) DO UPDATE SET ${COUNTER_COLUMNS.split(', ').map((c) => `${c} = excluded.${c}`).join(', ')}`,
  ).run()
  statement(
    db,
    `INSERT INTO annotation_counts(category_id, status, n) SELECT category_id, status, count(*) FROM annotations WHERE id >= ? GROUP BY category_id, status
     ON CONFLICT(category_id, status) DO UPDATE SET n = n + excluded.n`,
  ).run(firstId)
}

/**
 * The first correction of an engine proposal keeps what the engine proposed (mask and method),
 * so review calibration can score the proposal by its IoU with the mask the person kept.
 */
function keepProposal(before: AnnotationRow, after: AnnotationRow): void {
  const isProposal = before.source !== 'manual' && before.score !== null
  if (!isProposal || before.proposal_rle !== null || before.rle === null) return
  if (after.rle === before.rle && after.method === before.method) return
  after.proposal_rle = before.rle
  after.proposal_method = before.method
}

function maskColumns(mask: StoredMask | null): Pick<AnnotationRow, 'rle' | 'area' | 'bbox_x' | 'bbox_y' | 'bbox_w' | 'bbox_h'> {
  if (mask === null) return { rle: null, area: 0, bbox_x: null, bbox_y: null, bbox_w: null, bbox_h: null }
  const [x, y, w, h] = mask.bbox
  return { rle: mask.counts, area: mask.area, bbox_x: x, bbox_y: y, bbox_w: w, bbox_h: h }
}

function checkMaskOrMarker(mask: StoredMask | null, status: AnnotationStatus, image: { width: number; height: number }): void {
  if (mask !== null) checkMask(mask, image)
  else if (status !== 'absent') throw invalidInput(`only an "absent" marker may have no mask (status is ${status})`)
}

/** Cheap consistency checks; the RLE itself was produced by the mask core (./masks). */
export function checkMask(mask: StoredMask, image: { width: number; height: number }): void {
  const [height, width] = mask.size
  if (height !== image.height || width !== image.width) {
    throw invalidInput(`mask size [${height}, ${width}] does not match the image (${image.height}x${image.width}, [height, width])`)
  }
  if (!RLE_CHARACTERS.test(mask.counts)) throw invalidInput('mask counts must be a compressed COCO RLE string')
  const [x, y, w, h] = mask.bbox
  const inside = [x, y, w, h, mask.area].every((v) => Number.isInteger(v) && v >= 0) && x + w <= width && y + h <= height
  if (!inside || mask.area > w * h) throw invalidInput(`mask bbox [${x}, ${y}, ${w}, ${h}] or area ${mask.area} is outside the image`)
}

function checkedStatus(status: AnnotationStatus): AnnotationStatus {
  if (!(ANNOTATION_STATUSES as readonly string[]).includes(status)) throw invalidInput(`unknown annotation status "${status}"`)
  return status
}
