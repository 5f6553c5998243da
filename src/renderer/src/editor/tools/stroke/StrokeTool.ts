/**
 * Brush and eraser: a left drag paints (or erases) a stroke of the current radius on the
 * selected mask. Points are kept in image pixels, thinned to one every quarter radius (the core
 * rasterises a polyline with round caps, so nothing is lost), and sent as one stroke on release.
 */
import { imagePoint, roundCoordinate, type ImagePoint } from '../../geometry'
import type { StrokeState } from '../../state'
import { Tool, type EditorPointerEvent } from '../Tool'

type StrokeToolState = 'idle' | 'painting'

/** The contract's limit per stroke; a longer drag is sent in pieces. */
export const MAX_STROKE_POINTS = 10_000

export abstract class StrokeTool extends Tool<StrokeToolState> {
  protected readonly initial = 'idle' as const
  protected abstract readonly mode: StrokeState['mode']

  override onPointerDown(event: EditorPointerEvent): void {
    if (event.button !== 'left') return
    const target = this.editor.annotations.selected()
    if (!target || !target.mask) {
      this.editor.notify(
        'error',
        `Select a mask to ${this.mode === 'brush' ? 'paint on' : 'erase from'} first (click it with the select tool, V).`,
        // Selecting a mask answers it; an absent marker selected is not answered by a selection.
        target ? {} : { cause: { kind: 'no-selection' } },
      )
      return
    }
    const point = this.clamp(event.point)
    this.editor.updateSession({ stroke: { mode: this.mode, annotationId: target.id, points: [point], radius: this.editor.session.brushRadius } })
    this.transition('painting')
  }

  override onPointerMove(event: EditorPointerEvent): void {
    const stroke = this.editor.session.stroke
    if (this.state !== 'painting' || !stroke) return
    const point = this.clamp(event.point)
    const last = stroke.points[stroke.points.length - 1]
    if (last && Math.hypot(point.x - last.x, point.y - last.y) < Math.max(1, stroke.radius / 4)) return
    const next = { ...stroke, points: [...stroke.points, point] }
    if (next.points.length >= MAX_STROKE_POINTS) {
      void this.editor.annotations.stroke(next)
      this.editor.updateSession({ stroke: { ...stroke, points: [point] } })
      return
    }
    this.editor.updateSession({ stroke: next })
  }

  override onPointerUp(event: EditorPointerEvent): void {
    const stroke = this.editor.session.stroke
    if (this.state === 'painting' && stroke) {
      const point = this.clamp(event.point)
      const last = stroke.points[stroke.points.length - 1]
      const points = last && last.x === point.x && last.y === point.y ? stroke.points : [...stroke.points, point]
      void this.editor.annotations.stroke({ ...stroke, points })
    }
    this.editor.updateSession({ stroke: null })
    super.onCancel()
  }

  override onCancel(): void {
    if (this.editor.session.stroke) this.editor.updateSession({ stroke: null })
    super.onCancel()
  }

  /** Strokes may start off the image edge; the rasteriser clips, but the contract bounds coordinates. */
  private clamp(point: ImagePoint): ImagePoint {
    const detail = this.editor.doc.image
    if (!detail) return imagePoint(roundCoordinate(point.x), roundCoordinate(point.y))
    const { width, height } = detail.image
    return imagePoint(
      roundCoordinate(Math.max(-width, Math.min(2 * width, point.x))),
      roundCoordinate(Math.max(-height, Math.min(2 * height, point.y))),
    )
  }
}
