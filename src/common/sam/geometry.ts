/**
 * SAM's geometry, as the reference computes it (segment_anything ResizeLongestSide): where an
 * image lands in the encoder's 1024 canvas, and how image-pixel points and boxes map into it.
 */

export const SAM_CANVAS = 1024
export const SAM_LOW_RES = 256
export const SAM_GRID = 64
export const SAM_FEATURES = 256
/** Canvas pixels per embedding cell side. */
export const SAM_CELL = SAM_CANVAS / SAM_GRID

/** The canvas coordinate of cell `i`'s centre (rows and columns alike). */
export const cellCentre = (i: number): number => SAM_CELL * i + SAM_CELL / 2

export interface Size {
  readonly width: number
  readonly height: number
}

/** An image's original size (after EXIF orientation) and its size once resized into the canvas. */
export interface SamGeometry {
  readonly originalWidth: number
  readonly originalHeight: number
  readonly resizedWidth: number
  readonly resizedHeight: number
}

/**
 * ResizeLongestSide.get_preprocess_shape: scale = 1024 / longest side, each side rounded with
 * floor(x + 0.5). A side the reference would round to 0 (aspect ratios beyond 2048:1) is kept at 1.
 */
export function resizeLongestSide(width: number, height: number, target = SAM_CANVAS): SamGeometry {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new Error(`image size must be positive integers, got ${width}x${height}`)
  }
  const scale = target / Math.max(width, height)
  return {
    originalWidth: width,
    originalHeight: height,
    resizedWidth: Math.max(1, Math.floor(width * scale + 0.5)),
    resizedHeight: Math.max(1, Math.floor(height * scale + 0.5)),
  }
}

/** ResizeLongestSide.apply_coords: x * newW / W, y * newH / H (no +0.5: the decoder adds it). */
export function imageToModelPoint(geometry: SamGeometry, x: number, y: number): { x: number; y: number } {
  return {
    x: x * (geometry.resizedWidth / geometry.originalWidth),
    y: y * (geometry.resizedHeight / geometry.originalHeight),
  }
}

/** The inverse of imageToModelPoint. */
export function modelToImagePoint(geometry: SamGeometry, x: number, y: number): { x: number; y: number } {
  return {
    x: x * (geometry.originalWidth / geometry.resizedWidth),
    y: y * (geometry.originalHeight / geometry.resizedHeight),
  }
}

/**
 * The size of the masks to request from the decoder: the image size, or, when it has more than
 * `maxPixels`, the same aspect ratio scaled down (the decoder's crop is computed from the ratio,
 * so the masks stay aligned; upscale them afterwards).
 */
export function maskOutputSize(width: number, height: number, maxPixels: number): Size {
  if (width * height <= maxPixels) return { width, height }
  const scale = Math.sqrt(maxPixels / (width * height))
  return { width: Math.max(1, Math.floor(width * scale)), height: Math.max(1, Math.floor(height * scale)) }
}
