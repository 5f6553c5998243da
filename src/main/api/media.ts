/**
 * Image media by id and content fingerprint, never by path: `media/image/<id>/<fingerprint>/<kind>`
 * under the page's origin (studio://app/ in Electron, the browser-mode server's root; URLs are
 * built by `mediaPath` in src/common/ipc/media). A URL names one image's bytes, so it is served as
 * immutable; a fingerprint that is not the open project's image for that id (another project's
 * URL, a stale page) is refused rather than answered with different pixels. The browser-mode
 * server and the Electron protocol both answer through `mediaReply`, so they follow one set of rules.
 */
import { mediaFingerprint, parseMediaPath, type MediaKind } from '../../common/ipc/media'
import type { StudioContext } from './context'

export interface MediaFile {
  readonly file: string
  readonly contentType: 'image/jpeg'
  /** Strong validator: the image's content hash and the kind of display copy. */
  readonly etag: string
}

export function isMediaPath(pathname: string): boolean {
  return pathname.startsWith('/media/')
}

function etagOf(contentHash: string, kind: MediaKind): string {
  return `"${contentHash.slice(0, 32)}-${kind}"`
}

/** The cached display file for a media URL path, or null when it names nothing servable. */
export async function resolveMedia(context: StudioContext, pathname: string): Promise<MediaFile | null> {
  const request = parseMediaPath(pathname)
  const session = context.current
  if (!request || !session) return null
  const image = session.project.images.get(request.imageId)
  if (!image || mediaFingerprint(image.contentHash) !== request.fingerprint) return null
  const file = await session.media.file(session.project.absolutePath(image.relPath), image.contentHash, request.kind)
  return { file, contentType: 'image/jpeg', etag: etagOf(image.contentHash, request.kind) }
}

/** True when an If-None-Match header names `etag` (or is `*`); weak tags compare by value. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim()
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag
  })
}

export interface MediaHttpRequest {
  readonly method: string
  /** The URL path as received (still %-encoded). */
  readonly pathname: string
  readonly ifNoneMatch?: string
}

export type MediaReply =
  | { readonly status: 200; readonly file: string; readonly headers: Readonly<Record<string, string>> }
  | { readonly status: 304 | 404 | 405; readonly headers: Readonly<Record<string, string>>; readonly body: string }

// A year is as long as caches honour; `immutable` also spares the revalidation on reload.
const IMMUTABLE = 'private, max-age=31536000, immutable'
const REFUSED = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }

/** The HTTP answer to a media request: the file to send, 304 for a cached copy, or a refusal. */
export async function mediaReply(context: StudioContext, request: MediaHttpRequest): Promise<MediaReply> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return { status: 405, headers: { ...REFUSED, allow: 'GET, HEAD' }, body: 'use GET' }
  const media = await resolveMedia(context, request.pathname).catch(() => null)
  if (!media) return { status: 404, headers: REFUSED, body: 'no such image' }
  const cache = { etag: media.etag, 'cache-control': IMMUTABLE }
  if (etagMatches(request.ifNoneMatch, media.etag)) return { status: 304, headers: cache, body: '' }
  return { status: 200, file: media.file, headers: { ...cache, 'content-type': media.contentType, 'x-content-type-options': 'nosniff' } }
}
