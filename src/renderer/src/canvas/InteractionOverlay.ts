/**
 * The interaction layer's shapes: SAM prompt points and box, the box being dragged, the stroke
 * being painted, the brush cursor, and in review a frame around the proposal under review (a
 * small proposal is otherwise easy to miss on a busy photo). Sizes that must read the same at any zoom are given in
 * screen pixels and divided by the zoom (the stage is scaled to image pixels).
 */
import Konva from 'konva'
import type { EditorState } from '../editor/state'

const POSITIVE = '#3ddc84'
const NEGATIVE = '#f26d6d'
const ACCENT = '#4f9cf9'
const REVIEW = '#f5c86a'
/** Screen pixels between a reviewed mask's box and its frame. */
const REVIEW_FRAME_GAP = 8

export class InteractionOverlay {
  private readonly points = new Konva.Group()
  private readonly promptBox = new Konva.Rect({ stroke: ACCENT, visible: false })
  private readonly draftBox = new Konva.Rect({ stroke: '#ffffff', visible: false })
  private readonly reviewFrameOuter = new Konva.Rect({ stroke: '#000000', opacity: 0.6, visible: false })
  private readonly reviewFrame = new Konva.Rect({ stroke: REVIEW, visible: false })
  private readonly strokeLine: Konva.Line = new Konva.Line({ points: [], lineCap: 'round', lineJoin: 'round', opacity: 0.45, visible: false })
  private readonly cursorOuter = new Konva.Circle({ stroke: '#000000', visible: false })
  private readonly cursorInner = new Konva.Circle({ stroke: '#ffffff', visible: false })

  constructor(private readonly layer: Konva.Layer) {
    layer.add(this.reviewFrameOuter, this.reviewFrame, this.promptBox, this.draftBox, this.strokeLine, this.points, this.cursorOuter, this.cursorInner)
  }

  update(state: EditorState, strokeColor: string): void {
    const { session } = state
    const zoom = session.camera.zoom
    const px = (screenPixels: number) => screenPixels / zoom

    const prompts = session.prompts && state.doc.image?.image.id === session.prompts.imageId ? session.prompts : null
    this.points.destroyChildren()
    for (const point of prompts?.points ?? []) {
      this.points.add(
        new Konva.Circle({ x: point.x, y: point.y, radius: px(5), fill: point.positive ? POSITIVE : NEGATIVE, stroke: '#ffffff', strokeWidth: px(1.5) }),
      )
    }
    setRect(this.promptBox, prompts?.box ?? null, { strokeWidth: px(2) })
    setRect(this.draftBox, session.draftBox, { strokeWidth: px(1.5), dash: [px(6), px(4)] })

    const reviewedId = session.review ? (session.review.proposals[session.review.proposalIndex] ?? null) : null
    const reviewed = reviewedId !== null ? state.doc.image?.annotations.find((a) => a.id === reviewedId) : undefined
    const gap = px(REVIEW_FRAME_GAP)
    const frame = reviewed?.bbox && !session.review?.finished ? { x0: reviewed.bbox[0] - gap, y0: reviewed.bbox[1] - gap, x1: reviewed.bbox[0] + reviewed.bbox[2] + gap, y1: reviewed.bbox[1] + reviewed.bbox[3] + gap } : null
    setRect(this.reviewFrameOuter, frame, { strokeWidth: px(3.5) })
    setRect(this.reviewFrame, frame, { strokeWidth: px(1.5), dash: [px(8), px(5)] })

    const stroke = session.stroke
    this.strokeLine.visible(stroke !== null)
    if (stroke) {
      const flat = stroke.points.flatMap((p) => [p.x, p.y])
      // A single point still shows as a dot: Konva draws nothing for a one-point line.
      if (flat.length === 2) flat.push(flat[0]! + 0.01, flat[1]!)
      this.strokeLine.points(flat)
      this.strokeLine.strokeWidth(stroke.radius * 2)
      this.strokeLine.stroke(stroke.mode === 'brush' ? strokeColor : '#ffffff')
    }

    const painting = session.tool === 'brush' || session.tool === 'eraser'
    const cursor = painting && session.pointer && !session.panning ? session.pointer : null
    for (const [circle, width] of [
      [this.cursorOuter, 3],
      [this.cursorInner, 1.5],
    ] as const) {
      circle.visible(cursor !== null)
      if (cursor) circle.setAttrs({ x: cursor.x, y: cursor.y, radius: session.brushRadius, strokeWidth: px(width) })
    }
    this.layer.batchDraw()
  }
}

function setRect(node: Konva.Rect, box: { x0: number; y0: number; x1: number; y1: number } | null, style: Konva.RectConfig): void {
  node.visible(box !== null)
  if (box) node.setAttrs({ x: box.x0, y: box.y0, width: box.x1 - box.x0, height: box.y1 - box.y0, ...style })
}
