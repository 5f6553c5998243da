/**
 * Reference sets: which annotations act as PerSAM references for a category. Each category has
 * a default set (what "set as reference" in the review uses); more named sets can exist, e.g.
 * for few-shot experiments. Membership changes are undoable.
 */
import { ANNOTATION_SELECT, toAnnotation, type AnnotationRowWithSize } from './annotationRows'
import { statement, type SqliteDatabase } from './connection'
import { conflict, invalidInput, notFound } from './errors'
import type { EditHistory } from './history'
import type { Annotation } from './types'

export const DEFAULT_REFERENCE_SET = 'default'

export interface ReferenceSet {
  readonly id: number
  readonly categoryId: number
  readonly name: string
  readonly createdAt: number
}

interface SetRow {
  id: number
  category_id: number
  name: string
  created_at: number
}

const toSet = (row: SetRow): ReferenceSet => ({ id: row.id, categoryId: row.category_id, name: row.name, createdAt: row.created_at })

export class ReferenceRepository {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number,
    private readonly history: EditHistory,
  ) {}

  /** The category's default set, created on first use. */
  defaultSet(categoryId: number): ReferenceSet {
    return this.byName(categoryId, DEFAULT_REFERENCE_SET) ?? this.createSet(categoryId, DEFAULT_REFERENCE_SET)
  }

  /** The default set if it exists; unlike defaultSet() never writes (read-only projects). */
  findDefaultSet(categoryId: number): ReferenceSet | undefined {
    return this.byName(categoryId, DEFAULT_REFERENCE_SET)
  }

  createSet(categoryId: number, name: string): ReferenceSet {
    const trimmed = name.trim()
    if (trimmed === '') throw invalidInput('a reference set needs a name')
    return this.db.transaction(() => {
      if (!statement(this.db, 'SELECT 1 FROM categories WHERE id = ?').get(categoryId)) throw notFound(`category ${categoryId}`)
      if (this.byName(categoryId, trimmed)) throw conflict(`category ${categoryId} already has a reference set "${trimmed}"`)
      return toSet(
        statement(this.db, 'INSERT INTO reference_sets(category_id, name, created_at) VALUES (?, ?, ?) RETURNING *').get(categoryId, trimmed, this.now()) as SetRow,
      )
    })()
  }

  getSet(id: number): ReferenceSet | undefined {
    const row = statement(this.db, 'SELECT * FROM reference_sets WHERE id = ?').get(id) as SetRow | undefined
    return row ? toSet(row) : undefined
  }

  sets(categoryId: number): ReferenceSet[] {
    return (statement(this.db, 'SELECT * FROM reference_sets WHERE category_id = ? ORDER BY id').all(categoryId) as SetRow[]).map(toSet)
  }

  /** The annotations of a set, in the order they were added. */
  members(setId: number): Annotation[] {
    const rows = statement(
      this.db,
      `${ANNOTATION_SELECT} JOIN reference_members m ON m.annotation_id = a.id WHERE m.set_id = ? ORDER BY m.added_at, a.id`,
    ).all(setId) as AnnotationRowWithSize[]
    return rows.map(toAnnotation)
  }

  /** Ids of every annotation that is a reference in some set (for badges in the UI). */
  referenceIdsForImage(imageId: number): number[] {
    const rows = statement(
      this.db,
      'SELECT DISTINCT m.annotation_id AS id FROM reference_members m JOIN annotations a ON a.id = m.annotation_id WHERE a.image_id = ?',
    ).all(imageId) as { id: number }[]
    return rows.map((row) => row.id)
  }

  /** Adds or removes an annotation from a set (its category's default set unless given): one undo step. */
  setReference(annotationId: number, isReference: boolean, setId?: number): void {
    this.history.record(isReference ? 'Set as reference' : 'Unset reference', () => {
      const annotation = statement(this.db, 'SELECT category_id FROM annotations WHERE id = ?').get(annotationId) as { category_id: number } | undefined
      if (!annotation) throw notFound(`annotation ${annotationId}`)
      const set = setId === undefined ? this.defaultSet(annotation.category_id) : this.getSet(setId)
      if (!set) throw notFound(`reference set ${setId}`)
      if (set.categoryId !== annotation.category_id) throw invalidInput(`annotation ${annotationId} is not of the category of reference set ${set.id}`)
      const existing = statement(this.db, 'SELECT set_id, annotation_id, added_at FROM reference_members WHERE set_id = ? AND annotation_id = ?').get(
        set.id,
        annotationId,
      ) as { set_id: number; annotation_id: number; added_at: number } | undefined
      if (isReference && !existing) {
        const row = { set_id: set.id, annotation_id: annotationId, added_at: this.now() }
        statement(this.db, 'INSERT INTO reference_members(set_id, annotation_id, added_at) VALUES (@set_id, @annotation_id, @added_at)').run(row)
        this.history.logReference(null, row)
      } else if (!isReference && existing) {
        statement(this.db, 'DELETE FROM reference_members WHERE set_id = ? AND annotation_id = ?').run(set.id, annotationId)
        this.history.logReference(existing, null)
      }
    })
  }

  /** Makes annotations references in their categories' default sets without an undo step (imports, inside their transaction). */
  importReferences(annotationIds: readonly number[]): void {
    const insert = statement(this.db, 'INSERT OR IGNORE INTO reference_members(set_id, annotation_id, added_at) VALUES (?, ?, ?)')
    this.db.transaction(() => {
      for (const id of annotationIds) {
        const annotation = statement(this.db, 'SELECT category_id FROM annotations WHERE id = ?').get(id) as { category_id: number } | undefined
        if (!annotation) throw notFound(`annotation ${id}`)
        insert.run(this.defaultSet(annotation.category_id).id, id, this.now())
      }
    })()
  }

  private byName(categoryId: number, name: string): ReferenceSet | undefined {
    const row = statement(this.db, 'SELECT * FROM reference_sets WHERE category_id = ? AND name = ?').get(categoryId, name) as SetRow | undefined
    return row ? toSet(row) : undefined
  }
}
