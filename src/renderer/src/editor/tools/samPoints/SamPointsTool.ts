/**
 * SAM points: a left click adds a positive point, a right click or Alt+click a negative one,
 * and a left drag draws the box prompt (keeping the points). Every change asks for a preview.
 */
import { boxFromCorners, screenDistance, type ImagePoint, type ScreenPoint } from '../../geometry'
import { DRAG_THRESHOLD_PX, Tool, type EditorPointerEvent } from '../Tool'

type SamPointsState = 'idle' | 'pointing' | 'boxing'

/** Boxes thinner than this (image pixels) are treated as slips. */
export const MIN_BOX_SIDE = 2

export class SamPointsTool extends Tool<SamPointsState> {
  readonly id = 'samPoints' as const
  protected readonly initial = 'idle' as const
  private start: { point: ImagePoint; screen: ScreenPoint; positive: boolean } | null = null

  override onPointerDown(event: EditorPointerEvent): void {
    if (event.button === 'middle') return
    const positive = event.button === 'left' && !event.alt
    this.start = { point: event.point, screen: event.screen, positive }
    this.transition('pointing')
  }

  override onPointerMove(event: EditorPointerEvent): void {
    const start = this.start
    if (!start) return
    if (this.state === 'pointing' && start.positive && screenDistance(start.screen, event.screen) > DRAG_THRESHOLD_PX) {
      this.transition('boxing')
    }
    if (this.state === 'boxing') this.editor.updateSession({ draftBox: boxFromCorners(start.point, event.point) })
  }

  override onPointerUp(event: EditorPointerEvent): void {
    const start = this.start
    if (start && this.state === 'pointing') this.editor.prompts.addPoint(start.point, start.positive)
    if (start && this.state === 'boxing') {
      const box = boxFromCorners(start.point, event.point)
      if (box.x1 - box.x0 >= MIN_BOX_SIDE && box.y1 - box.y0 >= MIN_BOX_SIDE) this.editor.prompts.setBox(box)
    }
    this.onCancel()
  }

  override onCancel(): void {
    this.start = null
    if (this.editor.session.draftBox) this.editor.updateSession({ draftBox: null })
    super.onCancel()
  }
}
