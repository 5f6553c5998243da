/**
 * The fake core's undo history: each recorded change keeps the annotations before and after.
 * As in the core, undo and redo answer the step's own label ("Accept"), not "Undo Accept".
 */
import type { AnnotationInfo, HistoryState, HistoryStep } from '../../../src/common/ipc/types'

interface Step {
  readonly label: string
  readonly imageIds: readonly number[]
  readonly before: Map<number, AnnotationInfo>
  readonly after: Map<number, AnnotationInfo>
}

export class FakeHistory {
  private readonly done: Step[] = []
  private readonly undone: Step[] = []

  constructor(
    private readonly annotations: Map<number, AnnotationInfo>,
    /** Called after every change with the images it touched, as the core emits annotation:changed and history:changed. */
    private readonly changed: (state: HistoryState, imageIds: readonly number[], reason: string) => void = () => {},
  ) {}

  record<T>(label: string, imageIds: readonly number[], change: () => T): T {
    const before = new Map(this.annotations)
    const result = change()
    this.done.push({ label, imageIds, before, after: new Map(this.annotations) })
    this.undone.length = 0
    this.changed(this.state(), imageIds, label)
    return result
  }

  state(): HistoryState {
    const last = this.done[this.done.length - 1]
    const next = this.undone[this.undone.length - 1]
    return { canUndo: !!last, canRedo: !!next, undoLabel: last?.label ?? null, redoLabel: next?.label ?? null }
  }

  undo(): HistoryStep | null {
    const step = this.done.pop()
    if (!step) return null
    this.restore(step.before)
    this.undone.push(step)
    this.changed(this.state(), step.imageIds, 'undo')
    return { label: step.label, imageIds: step.imageIds, history: this.state() }
  }

  redo(): HistoryStep | null {
    const step = this.undone.pop()
    if (!step) return null
    this.restore(step.after)
    this.done.push(step)
    this.changed(this.state(), step.imageIds, 'redo')
    return { label: step.label, imageIds: step.imageIds, history: this.state() }
  }

  private restore(snapshot: Map<number, AnnotationInfo>): void {
    this.annotations.clear()
    for (const [id, annotation] of snapshot) this.annotations.set(id, annotation)
  }
}
