/**
 * Camera math, pure: the one place that converts between screen and image pixels.
 * screen = image * zoom + offset, where offset is (x, y) in screen pixels. The canvas applies the
 * same transform to its stage, so what tools receive matches what is drawn.
 */
import { imagePoint, screenPoint, type ImagePoint, type ScreenPoint, type Size } from './geometry'

export interface Camera {
  readonly x: number
  readonly y: number
  readonly zoom: number
}

export const IDENTITY_CAMERA: Camera = { x: 0, y: 0, zoom: 1 }

/** Screen pixels per image pixel at the closest zoom. */
export const MAX_ZOOM = 64
/** Never zoom out further than this fraction of the fitted zoom. */
const MIN_ZOOM_OF_FIT = 0.25
const FIT_MARGIN = 16

export function screenToImage(camera: Camera, point: ScreenPoint): ImagePoint {
  return imagePoint((point.x - camera.x) / camera.zoom, (point.y - camera.y) / camera.zoom)
}

export function imageToScreen(camera: Camera, point: ImagePoint): ScreenPoint {
  return screenPoint(point.x * camera.zoom + camera.x, point.y * camera.zoom + camera.y)
}

/** The camera that shows the whole image centred in the viewport, with a small margin. */
export function fitCamera(image: Size, viewport: Size, margin = FIT_MARGIN): Camera {
  if (image.width <= 0 || image.height <= 0 || viewport.width <= 0 || viewport.height <= 0) return IDENTITY_CAMERA
  const usableWidth = Math.max(1, viewport.width - 2 * margin)
  const usableHeight = Math.max(1, viewport.height - 2 * margin)
  const zoom = Math.min(usableWidth / image.width, usableHeight / image.height)
  return { zoom, x: (viewport.width - image.width * zoom) / 2, y: (viewport.height - image.height * zoom) / 2 }
}

export function zoomLimits(image: Size, viewport: Size): { min: number; max: number } {
  const fit = fitCamera(image, viewport).zoom
  return { min: Math.min(fit * MIN_ZOOM_OF_FIT, 1), max: MAX_ZOOM }
}

/**
 * Zooms by `factor` keeping the image point under `anchor` fixed on screen (zoom to cursor).
 * The zoom is clamped to `limits`; the anchor stays fixed even when clamping kicks in.
 */
export function zoomAt(camera: Camera, anchor: ScreenPoint, factor: number, limits: { min: number; max: number }): Camera {
  const zoom = Math.min(limits.max, Math.max(limits.min, camera.zoom * factor))
  if (zoom === camera.zoom) return camera
  const under = screenToImage(camera, anchor)
  return { zoom, x: anchor.x - under.x * zoom, y: anchor.y - under.y * zoom }
}

export function panBy(camera: Camera, dx: number, dy: number): Camera {
  return { ...camera, x: camera.x + dx, y: camera.y + dy }
}

/** Pixels per line and per page, for wheel events reported in lines or pages (Firefox, some mice). */
const LINE_PIXELS = 16
const WHEEL_ZOOM_PER_PIXEL = 0.0015

/** Converts a wheel delta to a zoom factor: smooth for trackpads, ~15% per mouse notch. */
export function wheelZoomFactor(deltaY: number, deltaMode: 0 | 1 | 2, viewportHeight: number): number {
  const pixels = deltaMode === 1 ? deltaY * LINE_PIXELS : deltaMode === 2 ? deltaY * viewportHeight : deltaY
  const clamped = Math.max(-300, Math.min(300, pixels))
  return Math.exp(-clamped * WHEEL_ZOOM_PER_PIXEL)
}

/** The image rectangle visible through the viewport, in image pixels (for culling). */
export function visibleImageRect(camera: Camera, viewport: Size): { x: number; y: number; width: number; height: number } {
  const topLeft = screenToImage(camera, screenPoint(0, 0))
  return { x: topLeft.x, y: topLeft.y, width: viewport.width / camera.zoom, height: viewport.height / camera.zoom }
}
