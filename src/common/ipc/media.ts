/**
 * Image media URLs, built and parsed in this one place for the core and the renderer. A URL names
 * the image's content, not just its id: ids restart at 1 in every project, so an id-only URL
 * served one project's cached pixels under another project's masks. With the content
 * fingerprint in the path, a URL always means the same bytes and can be cached as immutable.
 * Relative URLs, so they resolve against the page in both the desktop app (studio://app/) and
 * browser mode (http://127.0.0.1:<port>/).
 */

/** Longest side of the canvas preview; larger images are scaled down to it. */
export const PREVIEW_MAX_SIDE = 4096
/** Side of the square box the image-list thumbnails fit in. */
export const THUMBNAIL_SIDE = 256

export const MEDIA_KINDS = ['preview', 'thumb'] as const
export type MediaKind = (typeof MEDIA_KINDS)[number]

/** Hex digits of the image's SHA-256 carried in the URL: 64 bits tell projects' photos apart. */
export const MEDIA_FINGERPRINT_LENGTH = 16

/** What a media URL needs to know about an image (an ImageListItem has both). */
export interface MediaImage {
  readonly id: number
  /** SHA-256 of the image file, lower-case hex. */
  readonly contentHash: string
}

export function mediaFingerprint(contentHash: string): string {
  return contentHash.slice(0, MEDIA_FINGERPRINT_LENGTH).toLowerCase()
}

/** `media/image/<id>/<fingerprint>/<kind>`, relative to the page. */
export function mediaPath(image: MediaImage, kind: MediaKind): string {
  return `media/image/${image.id}/${mediaFingerprint(image.contentHash)}/${kind}`
}

export interface MediaRequest {
  readonly imageId: number
  readonly fingerprint: string
  readonly kind: MediaKind
}

const MEDIA_ROUTE = new RegExp(`^/media/image/([1-9][0-9]{0,14})/([0-9a-f]{${MEDIA_FINGERPRINT_LENGTH}})/(preview|thumb)$`)

/** Reads an absolute URL path (`/media/image/...`); null for anything `mediaPath` never builds. */
export function parseMediaPath(pathname: string): MediaRequest | null {
  const match = MEDIA_ROUTE.exec(pathname)
  if (!match) return null
  return { imageId: Number(match[1]), fingerprint: match[2]!, kind: match[3] as MediaKind }
}

/** The preview's scale relative to the original image (1 when the original is small enough). */
export function previewScale(width: number, height: number): number {
  const longest = Math.max(width, height)
  return longest > PREVIEW_MAX_SIDE ? PREVIEW_MAX_SIDE / longest : 1
}
