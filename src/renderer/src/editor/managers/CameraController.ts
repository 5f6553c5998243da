/** Zoom, pan and fit of the open image; the math lives in ../camera.ts. */
import { fitCamera, panBy, wheelZoomFactor, zoomAt, zoomLimits, type Camera } from '../camera'
import type { Editor } from '../Editor'
import { screenPoint, type ScreenPoint, type Size } from '../geometry'

const KEY_ZOOM_STEP = 1.25

export class CameraController {
  constructor(private readonly editor: Editor) {}

  get camera(): Camera {
    return this.editor.session.camera
  }

  /** The canvas was resized; a camera that still shows the fitted image follows the new size. */
  setViewport(viewport: Size): void {
    const current = this.editor.session.viewport
    if (current.width === viewport.width && current.height === viewport.height) return
    this.editor.updateSession({ viewport })
    if (this.editor.session.cameraFitted) this.fit()
  }

  fit(): void {
    const detail = this.editor.doc.image
    if (!detail) return
    this.editor.updateSession({ camera: fitCamera(detail.image, this.editor.session.viewport), cameraFitted: true })
  }

  wheel(anchor: ScreenPoint, deltaY: number, deltaMode: 0 | 1 | 2): void {
    this.zoomBy(anchor, wheelZoomFactor(deltaY, deltaMode, this.editor.session.viewport.height))
  }

  /** Keyboard zoom, about the viewport centre. */
  step(direction: 1 | -1): void {
    const { width, height } = this.editor.session.viewport
    this.zoomBy(screenPoint(width / 2, height / 2), direction > 0 ? KEY_ZOOM_STEP : 1 / KEY_ZOOM_STEP)
  }

  zoomBy(anchor: ScreenPoint, factor: number): void {
    const detail = this.editor.doc.image
    if (!detail) return
    const camera = zoomAt(this.camera, anchor, factor, zoomLimits(detail.image, this.editor.session.viewport))
    if (camera !== this.camera) this.editor.updateSession({ camera, cameraFitted: false })
  }

  pan(dx: number, dy: number): void {
    if (dx === 0 && dy === 0) return
    this.editor.updateSession({ camera: panBy(this.camera, dx, dy), cameraFitted: false })
  }
}
