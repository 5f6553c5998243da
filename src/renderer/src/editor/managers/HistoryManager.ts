/**
 * Undo and redo are the core's (history:undo / history:redo): every stored change is one step
 * there. The editor only reads back what a step touched. Ctrl+Z while prompting removes the
 * newest prompt first, which is what users of SAM tools expect.
 */
import type { HistoryStep } from '../../../../common/ipc/types'
import type { Editor } from '../Editor'

/** Undo and redo reports replace each other instead of piling up. */
const HISTORY_NOTICE = 'history'

export class HistoryManager {
  constructor(private readonly editor: Editor) {}

  async load(): Promise<void> {
    const history = await this.editor.attempt('Reading the history', () => this.editor.api.call('history:state', {}))
    if (history) this.editor.updateDoc({ history })
  }

  async undo(): Promise<void> {
    if (this.editor.prompts.removeLast()) return
    const step = await this.editor.attempt('Undoing', () => this.editor.api.call('history:undo', {}))
    if (step === null) this.editor.notify('info', 'Nothing to undo.', { key: HISTORY_NOTICE })
    if (step) await this.applyStep(step, 'Undone')
  }

  async redo(): Promise<void> {
    const step = await this.editor.attempt('Redoing', () => this.editor.api.call('history:redo', {}))
    if (step === null) this.editor.notify('info', 'Nothing to redo.', { key: HISTORY_NOTICE })
    if (step) await this.applyStep(step, 'Redone')
  }

  /**
   * The core labels a step by what it did ("Accept", "Brush stroke"); the notice says it was
   * undone or redone and on which image, and a step on one other image goes there, so the
   * change is seen ("Undone: Brush stroke on IMG_0042.jpg").
   */
  private async applyStep(step: HistoryStep, verb: 'Undone' | 'Redone'): Promise<void> {
    this.editor.updateDoc({ history: step.history })
    const open = this.editor.doc.image?.image.id
    this.editor.afterAnnotationsChanged()
    const [only] = step.imageIds.length === 1 ? step.imageIds : []
    if (open !== undefined && step.imageIds.includes(open)) {
      this.editor.prompts.clear()
      await this.editor.documents.reloadImage()
    } else if (only !== undefined) {
      if (!(await this.editor.review.showImage(only))) await this.editor.documents.openImage(only)
    }
    this.editor.notify('info', `${verb}: ${step.label}${this.where(step.imageIds)}`, { key: HISTORY_NOTICE })
  }

  /** " on photo.jpg" for one image, " on 12 images" for several, nothing when the step names none. */
  private where(imageIds: readonly number[]): string {
    if (imageIds.length > 1) return ` on ${imageIds.length} images`
    const [imageId] = imageIds
    if (imageId === undefined) return ''
    const detail = this.editor.doc.image
    if (detail?.image.id === imageId) return ` on ${detail.image.fileName}`
    const index = this.editor.documents.indexOf(imageId)
    const item = index >= 0 ? this.editor.documents.itemAt(index) : null
    return ` on ${item?.fileName ?? `image ${imageId}`}`
  }
}
