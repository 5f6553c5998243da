/** Select: a click picks the mask under the cursor (or clears the selection); a drag pans. */
import { screenDistance, type ScreenPoint } from '../../geometry'
import { DRAG_THRESHOLD_PX, Tool, type EditorPointerEvent } from '../Tool'

type SelectState = 'idle' | 'pointing' | 'dragging'

export class SelectTool extends Tool<SelectState> {
  readonly id = 'select' as const
  protected readonly initial = 'idle' as const
  private origin: ScreenPoint | null = null
  private last: ScreenPoint | null = null

  override onPointerDown(event: EditorPointerEvent): void {
    if (event.button !== 'left') return
    this.origin = event.screen
    this.last = event.screen
    this.transition('pointing')
  }

  override onPointerMove(event: EditorPointerEvent): void {
    if (this.state === 'pointing' && this.origin && screenDistance(this.origin, event.screen) > DRAG_THRESHOLD_PX) {
      this.transition('dragging')
    }
    if (this.state === 'dragging' && this.last) {
      this.editor.camera.pan(event.screen.x - this.last.x, event.screen.y - this.last.y)
      this.last = event.screen
    }
  }

  override onPointerUp(event: EditorPointerEvent): void {
    if (this.state === 'pointing') this.editor.annotations.select(this.editor.hitTest(event.point))
    this.onCancel()
  }

  override onCancel(): void {
    this.origin = null
    this.last = null
    super.onCancel()
  }
}
