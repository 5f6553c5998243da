/**
 * Where the core serves image pixels. Relative URLs, so they resolve against the page in both
 * the desktop app (studio://app/) and browser mode (http://127.0.0.1:<port>/).
 */
export const PREVIEW_MAX_SIDE = 4096
export const THUMB_SIDE = 256

export function previewUrl(imageId: number): string {
  return `media/image/${imageId}/preview`
}

export function thumbUrl(imageId: number): string {
  return `media/image/${imageId}/thumb`
}

/** The preview's scale relative to the original image (1 when the original is small enough). */
export function previewScale(width: number, height: number): number {
  const longest = Math.max(width, height)
  return longest > PREVIEW_MAX_SIDE ? PREVIEW_MAX_SIDE / longest : 1
}
