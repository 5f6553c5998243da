/**
 * The Konva view of the editor, managed imperatively (plain Konva, not react-konva): it
 * subscribes to the editor store and touches only the nodes a change concerns. A pan or zoom
 * sets the stage transform and redraws; nothing goes through React reconciliation per frame.
 * Three layers, none listening (pointer input is read from the container and converted to image
 * pixels with the editor's camera): the image, the masks, the interaction overlay.
 */
import Konva from 'konva'
import { mediaPath, previewScale } from '../../../common/ipc/media'
import { screenToImage } from '../editor/camera'
import type { Editor } from '../editor/Editor'
import { screenPoint } from '../editor/geometry'
import type { EditorState } from '../editor/state'
import type { EditorPointerEvent, PointerButton } from '../editor/tools/Tool'
import { InteractionOverlay } from './InteractionOverlay'
import type { MaskBitmaps } from './MaskBitmaps'
import { MaskLayer } from './MaskLayer'

/** Milliseconds per frame spent drawing queued mask bitmaps. */
const MASK_WORK_BUDGET_MS = 6
const BUTTONS: Record<number, PointerButton> = { 0: 'left', 1: 'middle', 2: 'right' }

export class CanvasView {
  private readonly stage: Konva.Stage
  private readonly imageLayer = new Konva.Layer({ listening: false })
  private readonly maskLayerNode = new Konva.Layer({ listening: false })
  private readonly interactionLayer = new Konva.Layer({ listening: false })
  private readonly backdrop = new Konva.Rect({ fill: '#22262e', listening: false })
  private readonly imageNode = new Konva.Image({ image: undefined, listening: false, visible: false })
  private readonly masks: MaskLayer
  private readonly overlay: InteractionOverlay
  private readonly unsubscribe: () => void
  private readonly removeListeners: () => void
  /** The preview URL on show: it names the image's content, so another project's image 1 is a new URL. */
  private shownImageUrl: string | null = null
  private shownConnection: EditorState['doc']['core']['connection'] = 'connected'
  private maskFrame: number | null = null
  private lastButton: PointerButton = 'left'

  constructor(
    private readonly container: HTMLDivElement,
    private readonly editor: Editor,
    private readonly bitmaps: MaskBitmaps,
  ) {
    this.stage = new Konva.Stage({ container, width: container.clientWidth, height: container.clientHeight, listening: false })
    this.imageLayer.add(this.backdrop, this.imageNode)
    this.stage.add(this.imageLayer, this.maskLayerNode, this.interactionLayer)
    this.masks = new MaskLayer(this.maskLayerNode, bitmaps)
    this.overlay = new InteractionOverlay(this.interactionLayer)
    this.maskLayerNode.on('draw', () => {
      container.dataset.previewRequest = String(this.masks.shownPreviewRequest ?? '')
      container.dataset.maskCount = String(this.masks.visibleCount)
    })
    this.removeListeners = this.listen()
    this.unsubscribe = editor.store.subscribe((state, previous) => this.render(state, previous))
    this.render(editor.store.get(), null)
  }

  resize(width: number, height: number): void {
    this.stage.size({ width, height })
    this.editor.camera.setViewport({ width, height })
  }

  destroy(): void {
    this.unsubscribe()
    this.removeListeners()
    if (this.maskFrame !== null) cancelAnimationFrame(this.maskFrame)
    this.stage.destroy()
  }

  private render(state: EditorState, previous: EditorState | null): void {
    const { doc, session } = state
    // Pixels that failed to load while the server was away are fetched again once it is back.
    const retry = doc.core.connection === 'connected' && this.container.dataset.imageState === 'failed' && this.shownConnection !== 'connected'
    this.shownConnection = doc.core.connection
    if (previewUrlOf(state) !== this.shownImageUrl || retry) this.showImage(state)
    if (!previous || session.camera !== previous.session.camera) this.applyCamera(state)
    const masksChanged =
      !previous ||
      doc.image !== previous.doc.image ||
      doc.categories !== previous.doc.categories ||
      session.prompts !== previous.session.prompts ||
      session.selectedAnnotationId !== previous.session.selectedAnnotationId ||
      session.hoverAnnotationId !== previous.session.hoverAnnotationId ||
      session.review !== previous.session.review ||
      session.masksVisible !== previous.session.masksVisible ||
      session.activeCategoryId !== previous.session.activeCategoryId ||
      // Zooming in may need finer bitmaps.
      session.camera.zoom !== previous.session.camera.zoom
    if (masksChanged && this.masks.sync(state)) this.scheduleMaskWork()
    else if (previous && (session.camera !== previous.session.camera || session.viewport !== previous.session.viewport)) this.masks.cull(state)
    this.overlay.update(state, this.strokeColor(state))
    this.container.style.cursor = cursorFor(state)
  }

  private applyCamera(state: EditorState): void {
    const { camera } = state.session
    this.stage.position({ x: camera.x, y: camera.y })
    this.stage.scale({ x: camera.zoom, y: camera.zoom })
    // For browser tests: where image pixels land on screen.
    this.container.dataset.camera = `${camera.x} ${camera.y} ${camera.zoom}`
    // Past 2 screen pixels per preview pixel, show pixels as squares: annotators want to see edges.
    const detail = state.doc.image
    const scale = detail ? previewScale(detail.image.width, detail.image.height) : 1
    this.imageLayer.imageSmoothingEnabled(camera.zoom / scale < 2)
    this.stage.batchDraw()
  }

  private showImage(state: EditorState): void {
    const detail = state.doc.image
    const url = previewUrlOf(state)
    this.shownImageUrl = url
    this.imageNode.visible(false)
    this.imageNode.image(undefined)
    this.backdrop.visible(detail !== null)
    this.container.dataset.imageState = detail ? 'loading' : 'none'
    this.container.dataset.imageId = detail ? String(detail.image.id) : ''
    if (!detail || !url) {
      this.imageLayer.batchDraw()
      return
    }
    const { width, height } = detail.image
    this.backdrop.size({ width, height })
    this.imageNode.size({ width, height })
    const element = new Image()
    element.decoding = 'async'
    element.src = url
    element
      .decode()
      .then(() => {
        if (this.shownImageUrl !== url) return
        this.imageNode.image(element)
        this.imageNode.visible(true)
        this.container.dataset.imageState = 'ready'
        this.imageLayer.batchDraw()
      })
      .catch(() => {
        if (this.shownImageUrl === url) this.container.dataset.imageState = 'failed'
      })
    this.imageLayer.batchDraw()
  }

  private scheduleMaskWork(): void {
    if (this.maskFrame !== null) return
    this.maskFrame = requestAnimationFrame(() => {
      this.maskFrame = null
      const more = this.bitmaps.work(MASK_WORK_BUDGET_MS)
      this.masks.sync(this.editor.store.get())
      if (more) this.scheduleMaskWork()
    })
  }

  private strokeColor(state: EditorState): string {
    const stroke = state.session.stroke
    const annotation = stroke ? state.doc.image?.annotations.find((a) => a.id === stroke.annotationId) : undefined
    return state.doc.categories.find((c) => c.id === annotation?.categoryId)?.color ?? '#4f9cf9'
  }

  // Input ---------------------------------------------------------------------------------------

  private toEvent(event: PointerEvent | MouseEvent, button?: PointerButton): EditorPointerEvent {
    const rect = this.container.getBoundingClientRect()
    const screen = screenPoint(event.clientX - rect.left, event.clientY - rect.top)
    return {
      point: screenToImage(this.editor.session.camera, screen),
      screen,
      button: button ?? this.lastButton,
      alt: event.altKey,
      shift: event.shiftKey,
      ctrl: event.ctrlKey || event.metaKey,
    }
  }

  private listen(): () => void {
    const { container, editor } = this
    const down = (event: PointerEvent) => {
      this.lastButton = BUTTONS[event.button] ?? 'left'
      // Capture keeps a drag alive outside the canvas; it can fail for a pointer already released.
      try {
        container.setPointerCapture(event.pointerId)
      } catch {
        // The drag still works while the pointer stays over the canvas.
      }
      container.focus({ preventScroll: true })
      editor.pointerDown(this.toEvent(event, this.lastButton))
      event.preventDefault()
    }
    const move = (event: PointerEvent) => {
      // Brush strokes follow every sample the pointer produced, not one per frame.
      const samples = editor.session.stroke && event.getCoalescedEvents ? event.getCoalescedEvents() : []
      for (const sample of samples.length > 0 ? samples : [event]) editor.pointerMove(this.toEvent(sample))
    }
    const up = (event: PointerEvent) => {
      if (container.hasPointerCapture(event.pointerId)) container.releasePointerCapture(event.pointerId)
      editor.pointerUp(this.toEvent(event, BUTTONS[event.button] ?? this.lastButton))
    }
    const cancel = () => editor.blur()
    const leave = (event: PointerEvent) => {
      if (event.buttons === 0) editor.pointerLeave()
    }
    const wheel = (event: WheelEvent) => {
      event.preventDefault()
      const rect = container.getBoundingClientRect()
      editor.wheel(screenPoint(event.clientX - rect.left, event.clientY - rect.top), event.deltaY, event.deltaMode as 0 | 1 | 2)
    }
    const menu = (event: MouseEvent) => event.preventDefault()
    container.addEventListener('pointerdown', down)
    container.addEventListener('pointermove', move)
    container.addEventListener('pointerup', up)
    container.addEventListener('pointercancel', cancel)
    container.addEventListener('pointerleave', leave)
    container.addEventListener('wheel', wheel, { passive: false })
    container.addEventListener('contextmenu', menu)
    return () => {
      container.removeEventListener('pointerdown', down)
      container.removeEventListener('pointermove', move)
      container.removeEventListener('pointerup', up)
      container.removeEventListener('pointercancel', cancel)
      container.removeEventListener('pointerleave', leave)
      container.removeEventListener('wheel', wheel)
      container.removeEventListener('contextmenu', menu)
    }
  }
}

function previewUrlOf(state: EditorState): string | null {
  return state.doc.image ? mediaPath(state.doc.image.image, 'preview') : null
}

function cursorFor(state: EditorState): string {
  const { session } = state
  if (session.panning) return 'grabbing'
  if (session.spaceHeld) return 'grab'
  if (session.tool === 'brush' || session.tool === 'eraser') return 'none'
  if (session.tool === 'select') return session.hoverAnnotationId !== null ? 'pointer' : 'default'
  return 'crosshair'
}
