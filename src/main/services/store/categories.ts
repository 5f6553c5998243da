/** Categories (COCO's categories): a name, an optional supercategory and a display colour. */
import { statement, type SqliteDatabase } from './connection'
import { conflict, invalidInput, notFound } from './errors'
import type { EditHistory } from './history'
import type { Category } from './types'

interface CategoryRow {
  id: number
  name: string
  supercategory: string | null
  color: string
  created_at: number
}

const toCategory = (row: CategoryRow): Category => ({
  id: row.id,
  name: row.name,
  supercategory: row.supercategory,
  color: row.color,
  createdAt: row.created_at,
})

/** Distinct colours for the first categories (Sasha Trubetskoy's list); later ones cycle. */
export const CATEGORY_PALETTE = ['#e6194b', '#3cb44b', '#ffe119', '#4363d8', '#f58231', '#911eb4', '#46f0f0', '#f032e6', '#bcf60c', '#fabebe', '#008080', '#e6beff']

const COLOR = /^#[0-9a-f]{6}$/i

export interface NewCategory {
  readonly name: string
  readonly supercategory?: string | null
  readonly color?: string
}

export class CategoryRepository {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number,
    private readonly history: EditHistory,
  ) {}

  create(category: NewCategory): Category {
    const name = checkedName(category.name)
    if (category.color !== undefined && !COLOR.test(category.color)) throw invalidInput(`category colour must look like #rrggbb, got "${category.color}"`)
    return this.db.transaction(() => {
      if (this.byName(name)) throw conflict(`a category named "${name}" already exists`)
      const count = (statement(this.db, 'SELECT count(*) AS n FROM categories').get() as { n: number }).n
      const row = statement(
        this.db,
        'INSERT INTO categories(name, supercategory, color, created_at) VALUES (?, ?, ?, ?) RETURNING *',
      ).get(name, category.supercategory ?? null, category.color ?? CATEGORY_PALETTE[count % CATEGORY_PALETTE.length]!, this.now()) as CategoryRow
      return toCategory(row)
    })()
  }

  /** The category with this name, created when missing (imports). */
  ensure(category: NewCategory): Category {
    return this.byName(checkedName(category.name)) ?? this.create(category)
  }

  get(id: number): Category | undefined {
    const row = statement(this.db, 'SELECT * FROM categories WHERE id = ?').get(id) as CategoryRow | undefined
    return row ? toCategory(row) : undefined
  }

  require(id: number): Category {
    const category = this.get(id)
    if (!category) throw notFound(`category ${id}`)
    return category
  }

  byName(name: string): Category | undefined {
    const row = statement(this.db, 'SELECT * FROM categories WHERE name = ?').get(name.trim()) as CategoryRow | undefined
    return row ? toCategory(row) : undefined
  }

  list(): Category[] {
    return (statement(this.db, 'SELECT * FROM categories ORDER BY id').all() as CategoryRow[]).map(toCategory)
  }

  rename(id: number, name: string): Category {
    const checked = checkedName(name)
    return this.db.transaction(() => {
      const other = this.byName(checked)
      if (other && other.id !== id) throw conflict(`a category named "${checked}" already exists`)
      if (statement(this.db, 'UPDATE categories SET name = ? WHERE id = ?').run(checked, id).changes === 0) throw notFound(`category ${id}`)
      return this.require(id)
    })()
  }

  recolor(id: number, color: string): Category {
    if (!COLOR.test(color)) throw invalidInput(`category colour must look like #rrggbb, got "${color}"`)
    if (statement(this.db, 'UPDATE categories SET color = ? WHERE id = ?').run(color, id).changes === 0) throw notFound(`category ${id}`)
    return this.require(id)
  }

  /**
   * Deletes a category with its annotations, reference sets and jobs. The UI asks for
   * confirmation because this is not undoable: the edit history is cleared, as its steps may
   * refer to the deleted annotations.
   */
  remove(id: number): { annotationsDeleted: number } {
    return this.db.transaction(() => {
      const annotationsDeleted = (statement(this.db, 'SELECT count(*) AS n FROM annotations WHERE category_id = ?').get(id) as { n: number }).n
      if (statement(this.db, 'DELETE FROM categories WHERE id = ?').run(id).changes === 0) throw notFound(`category ${id}`)
      statement(this.db, 'DELETE FROM annotation_counts WHERE category_id = ?').run(id)
      statement(this.db, 'DELETE FROM image_state_counts WHERE category_id = ?').run(id)
      this.history.clear()
      return { annotationsDeleted }
    })()
  }
}

function checkedName(name: string): string {
  const trimmed = name.trim()
  if (trimmed === '' || trimmed.length > 200) throw invalidInput('a category name must have 1 to 200 characters')
  return trimmed
}
