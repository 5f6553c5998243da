/**
 * A staged import (Project.beginImport): annotations are validated and staged one by one while
 * the importer parses its file, in a TEMP table (private to the connection, outside the project
 * file: a crash leaves nothing behind). Rows name their image and category by the file's own
 * keys; `commit` maps those keys to project ids and copies every staged row into the project in
 * one transaction, so the import completes or changes nothing. Staging a million rows costs no
 * JavaScript memory beyond one batch.
 */
import type { AnnotationRepository } from './annotations'
import { ANNOTATION_INSERT_COLUMNS } from './annotations'
import type { AnnotationRow } from './annotationRows'
import { statement, type SqliteDatabase } from './connection'
import { conflict, invalidInput } from './errors'
import { ANNOTATION_SOURCES, ANNOTATION_STATUSES, type AnnotationDraft } from './types'

/** An annotation to import, its image and category named by the importer's keys (e.g. COCO ids). */
export interface StagedAnnotation extends Omit<AnnotationDraft, 'imageId' | 'categoryId' | 'modelId'> {
  readonly imageKey: number
  readonly categoryKey: number
}

/** Inside `commit`: tells the stager which project image and category each key stands for. */
export interface ImportKeyMap {
  image(key: number, imageId: number): void
  category(key: number, categoryId: number): void
}

type InsertColumn = Exclude<keyof AnnotationRow, 'id'>

/**
 * What each annotation column gets from the staged rows (s), the key maps (m, c) and @now. A
 * Record over every column: a migration that adds a column fails to compile here until it is
 * given a value, instead of shifting positions.
 */
const COMMIT_VALUES: Record<InsertColumn, string> = {
  image_id: 'm.image_id',
  category_id: 'c.category_id',
  rle: 's.rle',
  area: 's.area',
  bbox_x: 's.bbox_x',
  bbox_y: 's.bbox_y',
  bbox_w: 's.bbox_w',
  bbox_h: 's.bbox_h',
  iscrowd: 's.iscrowd',
  status: 's.status',
  source: 's.source',
  score: 's.score',
  model_id: 'NULL',
  method: 's.method',
  proposal_rle: 'NULL',
  proposal_method: 'NULL',
  job_id: 'NULL',
  revision: '1',
  created_at: '@now',
  updated_at: '@now',
}
const COMMIT_SELECT = `SELECT ${ANNOTATION_INSERT_COLUMNS.map((column) => COMMIT_VALUES[column as InsertColumn]).join(', ')}
  FROM temp.import_staged s JOIN temp.import_images m ON m.key = s.image_key JOIN temp.import_categories c ON c.key = s.category_key ORDER BY s.rowid`
const STAGED_COLUMNS = ['image_key', 'category_key', 'rle', 'area', 'bbox_x', 'bbox_y', 'bbox_w', 'bbox_h', 'iscrowd', 'status', 'source', 'score', 'method'] as const
const DROP_TABLES = 'DROP TABLE IF EXISTS temp.import_staged; DROP TABLE IF EXISTS temp.import_images; DROP TABLE IF EXISTS temp.import_categories'
const STAGE_BATCH = 2000
const staging = new WeakSet<SqliteDatabase>()

type StagedRow = Record<(typeof STAGED_COLUMNS)[number], string | number | null>

export class ImportStager {
  private batch: StagedRow[] = []
  private stagedCount = 0
  private closed = false

  constructor(
    private readonly db: SqliteDatabase,
    private readonly annotations: AnnotationRepository,
    private readonly now: () => number,
  ) {
    if (staging.has(db)) throw conflict('an import is already being staged in this project')
    db.exec(DROP_TABLES) // leftovers of an import that failed without closing its stager
    db.exec(`CREATE TEMP TABLE import_staged (image_key INTEGER, category_key INTEGER, rle TEXT, area INTEGER, bbox_x INTEGER, bbox_y INTEGER,
      bbox_w INTEGER, bbox_h INTEGER, iscrowd INTEGER, status TEXT, source TEXT, score REAL, method TEXT)`)
    staging.add(db)
  }

  /** Annotations staged so far. */
  get staged(): number {
    return this.stagedCount
  }

  /** Checks and stages one annotation. Masks are trusted to fit their images (the importer built them at the image's size). */
  stageAnnotation(annotation: StagedAnnotation): void {
    this.checkOpen()
    if (!(ANNOTATION_STATUSES as readonly string[]).includes(annotation.status)) throw invalidInput(`unknown annotation status "${annotation.status}"`)
    if (!(ANNOTATION_SOURCES as readonly string[]).includes(annotation.source)) throw invalidInput(`unknown annotation source "${annotation.source}"`)
    const mask = annotation.mask
    if (mask === null && annotation.status !== 'absent') throw invalidInput(`only an "absent" marker may have no mask (status is ${annotation.status})`)
    this.batch.push({
      image_key: annotation.imageKey,
      category_key: annotation.categoryKey,
      rle: mask?.counts ?? null,
      area: mask?.area ?? 0,
      bbox_x: mask?.bbox[0] ?? null,
      bbox_y: mask?.bbox[1] ?? null,
      bbox_w: mask?.bbox[2] ?? null,
      bbox_h: mask?.bbox[3] ?? null,
      iscrowd: annotation.iscrowd ? 1 : 0,
      status: annotation.status,
      source: annotation.source,
      score: annotation.score ?? null,
      method: annotation.method === undefined || annotation.method === null ? null : JSON.stringify(annotation.method),
    })
    this.stagedCount++
    if (this.batch.length >= STAGE_BATCH) this.flush()
  }

  /**
   * One transaction: `mapKeys` adds what the import needs (images, categories) and maps every
   * key; then the staged annotations whose image and category keys are both mapped are inserted
   * in staging order (importMany's trigger handling and recount). Any error rolls it all back.
   * Returns how many annotations were added.
   */
  commit(mapKeys: (keys: ImportKeyMap) => void): number {
    this.checkOpen()
    this.flush()
    return this.db.transaction(() => {
      this.db.exec('CREATE TEMP TABLE import_images (key INTEGER PRIMARY KEY, image_id INTEGER); CREATE TEMP TABLE import_categories (key INTEGER PRIMARY KEY, category_id INTEGER)')
      const image = statement(this.db, 'INSERT INTO temp.import_images VALUES (?, ?)')
      const category = statement(this.db, 'INSERT INTO temp.import_categories VALUES (?, ?)')
      mapKeys({ image: (key, imageId) => void image.run(key, imageId), category: (key, categoryId) => void category.run(key, categoryId) })
      return this.annotations.importSelect(COMMIT_SELECT, { now: this.now() })
    })()
  }

  /** Drops the staged rows (committed or not); safe to call twice. Call it in a finally. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.batch = []
    staging.delete(this.db)
    if (this.db.open) this.db.exec(DROP_TABLES)
  }

  private flush(): void {
    if (this.batch.length === 0) return
    const insert = statement(this.db, `INSERT INTO temp.import_staged VALUES (${STAGED_COLUMNS.map((column) => `@${column}`).join(', ')})`)
    const rows = this.batch
    this.batch = []
    this.db.transaction(() => {
      for (const row of rows) insert.run(row)
    })()
  }

  private checkOpen(): void {
    if (this.closed) throw conflict('this import stager is closed')
  }
}
