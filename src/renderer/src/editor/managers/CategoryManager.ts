/** Categories: create, rename, recolour, delete (confirming the annotation count shown), pick the active one. */
import { nextCategoryColor } from '../../../../common/color/categoryColors'
import type { Category } from '../../../../common/ipc/types'
import type { Editor } from '../Editor'

export class CategoryManager {
  constructor(private readonly editor: Editor) {}

  setActive(categoryId: number): void {
    this.editor.updateSession({ activeCategoryId: categoryId })
  }

  async create(name: string, color?: string): Promise<Category | undefined> {
    // The colour farthest from those in use, so masks of different categories never look alike.
    const pick = color ?? nextCategoryColor(this.editor.doc.categories.map((c) => c.color))
    const category = await this.editor.attempt('Creating the category', () => this.editor.api.call('category:create', { name, color: pick }))
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
