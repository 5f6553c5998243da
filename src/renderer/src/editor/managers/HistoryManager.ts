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

  /** The core labels a step by what it did ("Accept", "Brush stroke"); the notice says it was undone or redone. */
  private async applyStep(step: HistoryStep, verb: 'Undone' | 'Redone'): Promise<void> {
    this.editor.updateDoc({ history: step.history })
    this.editor.notify('info', `${verb}: ${step.label}`, { key: HISTORY_NOTICE })
    const open = this.editor.doc.image?.image.id
    this.editor.afterAnnotationsChanged()
    if (open !== undefined && step.imageIds.includes(open)) {
      this.editor.prompts.clear()
      await this.editor.documents.reloadImage()
    }
  }
}
