/** Categories: create, rename, recolour, delete (confirming the annotation count shown), pick the active one. */
import type { Category } from '../../../../common/ipc/types'
import type { Editor } from '../Editor'

/** Distinct, readable on the dark theme; new categories take the first colour not in use. */
export const CATEGORY_PALETTE = ['#4f9cf9', '#f2a93b', '#4cc38a', '#e5484d', '#a970ff', '#12a594', '#f76b15', '#d6409f', '#8da4ef', '#bdee63']

export class CategoryManager {
  constructor(private readonly editor: Editor) {}

  setActive(categoryId: number): void {
    this.editor.updateSession({ activeCategoryId: categoryId })
  }

  async create(name: string, color?: string): Promise<Category | undefined> {
    const used = new Set(this.editor.doc.categories.map((c) => c.color.toLowerCase()))
    const pick = color ?? CATEGORY_PALETTE.find((c) => !used.has(c)) ?? CATEGORY_PALETTE[this.editor.doc.categories.length % CATEGORY_PALETTE.length]
    const category = await this.editor.attempt('Creating the category', () =>
      this.editor.api.call('category:create', pick ? { name, color: pick } : { name }),
    )
    if (!category) return undefined
    this.editor.store.batch(() => {
      this.editor.updateDoc((doc) => ({ categories: [...doc.categories, category] }))
      this.editor.updateSession({ activeCategoryId: category.id })
    })
    return category
  }

  async update(categoryId: number, change: { name?: string; color?: string }): Promise<void> {
    const category = await this.editor.attempt('Changing the category', () => this.editor.api.call('category:update', { categoryId, ...change }))
    if (category) this.editor.updateDoc((doc) => ({ categories: doc.categories.map((c) => (c.id === categoryId ? category : c)) }))
  }

  /** Deletes with the annotation count the user was shown; the core refuses if it changed meanwhile. */
  async remove(categoryId: number, confirmAnnotationCount: number): Promise<void> {
    const result = await this.editor.attempt('Deleting the category', () =>
      this.editor.api.call('category:delete', { categoryId, confirmAnnotationCount }),
    )
    if (!result) return
    this.editor.updateDoc((doc) => ({ categories: doc.categories.filter((c) => c.id !== categoryId) }))
    if (this.editor.session.activeCategoryId === categoryId) this.editor.updateSession({ activeCategoryId: this.editor.doc.categories[0]?.id ?? null })
    this.editor.afterAnnotationsChanged()
    this.editor.track(this.editor.documents.reloadImage())
  }
}
