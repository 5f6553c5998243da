/**
 * SAM box: every left drag draws a new box and starts a new object (earlier prompts are
 * dropped), for boxing objects one after another. A right click or Alt+click adds a negative
 * point to refine; a plain click adds a positive point.
 */
import { boxFromCorners, type ImagePoint } from '../../geometry'
import { Tool, type EditorPointerEvent } from '../Tool'
import { MIN_BOX_SIDE } from '../samPoints/SamPointsTool'

type SamBoxState = 'idle' | 'dragging'

export class SamBoxTool extends Tool<SamBoxState> {
  readonly id = 'samBox' as const
  protected readonly initial = 'idle' as const
  private start: ImagePoint | null = null

  override onPointerDown(event: EditorPointerEvent): void {
    if (event.button === 'middle') return
    if (event.button === 'right' || event.alt) {
      this.editor.prompts.addPoint(event.point, false)
      return
    }
    this.start = event.point
    this.transition('dragging')
  }

  override onPointerMove(event: EditorPointerEvent): void {
    if (this.state === 'dragging' && this.start) this.editor.updateSession({ draftBox: boxFromCorners(this.start, event.point) })
  }

  override onPointerUp(event: EditorPointerEvent): void {
    const start = this.start
    if (this.state === 'dragging' && start) {
      const box = boxFromCorners(start, event.point)
      if (box.x1 - box.x0 >= MIN_BOX_SIDE && box.y1 - box.y0 >= MIN_BOX_SIDE) this.editor.prompts.setBox(box, true)
      else this.editor.prompts.addPoint(start, true)
    }
    this.onCancel()
  }

  override onCancel(): void {
    this.start = null
    if (this.editor.session.draftBox) this.editor.updateSession({ draftBox: null })
    super.onCancel()
  }
}
