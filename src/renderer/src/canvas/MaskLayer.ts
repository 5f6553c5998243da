/**
 * The mask layer: one Konva.Image per annotation (its cached bitmap at its bounding box), plus
 * the SAM preview on top. Opacity carries hover, selection and review focus; masks outside the
 * viewport are hidden so panning draws only what is seen.
 */
import Konva from 'konva'
import type { AnnotationInfo, Category } from '../../../common/ipc/types'
import { visibleImageRect } from '../editor/camera'
import type { EditorState } from '../editor/state'
import type { MaskBitmap, MaskBitmaps } from './MaskBitmaps'

const PREVIEW_KEY = 'preview'
/** The preview and the selected mask get a white outline: it reads on any category colour. */
const FOCUS_EDGE = '#ffffff'
const REJECTED_COLOR = '#8b93a1'
const FALLBACK_COLOR = '#4f9cf9'

export class MaskLayer {
  private readonly nodes = new Map<string, Konva.Image>()
  /** The preview whose bitmap is on the layer (request id), for the view's data attributes. */
  shownPreviewRequest: number | null = null

  constructor(
    private readonly layer: Konva.Layer,
    private readonly bitmaps: MaskBitmaps,
  ) {}

  /** Re-syncs nodes with the state; true when some bitmaps are still queued. */
  sync(state: EditorState): boolean {
    const { doc, session } = state
    const detail = doc.image
    const colors = new Map<number, string>(doc.categories.map((c: Category) => [c.id, c.color]))
    const prompts = session.prompts && detail && session.prompts.imageId === detail.image.id ? session.prompts : null
    const hiddenId = prompts?.preview ? prompts.correcting : null
    const reviewed = session.review ? (session.review.proposals[session.review.proposalIndex] ?? null) : null
    const wanted = new Map<string, { bitmap: MaskBitmap | null; opacity: number; order: number }>()
    const keep = new Set<string>()
    const displayScale = session.camera.zoom * (globalThis.devicePixelRatio || 1)

    for (const annotation of detail?.annotations ?? []) {
      if (!annotation.mask || annotation.id === hiddenId) continue
      const key = `a${annotation.id}`
      const color = annotation.status === 'rejected' ? REJECTED_COLOR : (colors.get(annotation.categoryId) ?? FALLBACK_COLOR)
      const selected = annotation.id === session.selectedAnnotationId
      // The selected variant is a second bitmap; the plain one is kept for when the selection moves on.
      const bitmapKey = selected ? `${key}:selected` : key
      keep.add(key).add(bitmapKey)
      const bitmap = this.bitmaps.get(bitmapKey, annotation.mask, color, selected ? FOCUS_EDGE : null, displayScale)
      wanted.set(key, { bitmap, opacity: opacityOf(annotation, session.selectedAnnotationId, session.hoverAnnotationId, reviewed), order: orderOf(annotation, session.selectedAnnotationId) })
    }

    this.shownPreviewRequest = null
    const candidate = prompts?.preview?.candidates[prompts.candidate]
    if (prompts?.preview && candidate) {
      const corrected = detail?.annotations.find((a) => a.id === prompts.correcting)
      const categoryId = corrected?.categoryId ?? session.activeCategoryId
      const color = (categoryId !== null ? colors.get(categoryId) : undefined) ?? FALLBACK_COLOR
      const previewKey = `${PREVIEW_KEY}:${prompts.preview.previewId}:${prompts.candidate}`
      keep.add(previewKey)
      // The preview is drawn at once rather than in the frame-sliced queue: it is what the click waits for.
      this.bitmaps.get(previewKey, candidate.mask, color, FOCUS_EDGE, displayScale)
      const bitmap = this.bitmaps.drawNow(previewKey)
      wanted.set(PREVIEW_KEY, { bitmap, opacity: 0.95, order: 3 })
      if (bitmap) this.shownPreviewRequest = prompts.preview.requestId
    }

    for (const [key, node] of this.nodes) {
      if (!wanted.has(key)) {
        node.destroy()
        this.nodes.delete(key)
      }
    }
    const sorted = [...wanted.entries()].sort((a, b) => a[1].order - b[1].order)
    for (const [key, { bitmap, opacity }] of sorted) {
      let node = this.nodes.get(key)
      if (!node) {
        node = new Konva.Image({ image: undefined, listening: false, perfectDrawEnabled: false })
        this.nodes.set(key, node)
        this.layer.add(node)
      }
      node.visible(bitmap !== null)
      if (!bitmap) node.image(undefined)
      else node.setAttrs({ image: bitmap.canvas, x: bitmap.x, y: bitmap.y, width: bitmap.width, height: bitmap.height, opacity })
      node.moveToTop()
    }
    // Bitmaps of other images and of replaced previews are released.
    this.bitmaps.retain(keep)
    this.layer.visible(session.masksVisible)
    this.cull(state)
    return this.bitmaps.pending > 0
  }

  /** Hides masks outside the viewport (after a pan or zoom). */
  cull(state: EditorState): void {
    const view = visibleImageRect(state.session.camera, state.session.viewport)
    for (const node of this.nodes.values()) {
      if (!node.image()) continue
      const inside = node.x() < view.x + view.width && node.x() + node.width() > view.x && node.y() < view.y + view.height && node.y() + node.height() > view.y
      node.visible(inside)
    }
    this.layer.batchDraw()
  }

  get visibleCount(): number {
    let count = 0
    for (const node of this.nodes.values()) if (node.visible()) count++
    return count
  }
}

function opacityOf(annotation: AnnotationInfo, selected: number | null, hovered: number | null, reviewed: number | null): number {
  if (annotation.id === selected) return 1
  if (annotation.id === hovered) return 0.85
  if (annotation.status === 'rejected') return 0.3
  if (reviewed !== null) return 0.35
  return 0.65
}

function orderOf(annotation: AnnotationInfo, selected: number | null): number {
  if (annotation.id === selected) return 2
  return annotation.status === 'rejected' ? 0 : 1
}
