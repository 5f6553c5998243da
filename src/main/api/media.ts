/**
 * Image media by id, never by path: `media/image/<id>/<preview|thumb>` under the page's origin
 * (studio://app/ in Electron, the browser-mode server's root). Anything else, an id of no image
 * of the open project, or a path-like id, is refused.
 */
import type { StudioContext } from './context'

const MEDIA_ROUTE = /^\/media\/image\/([1-9][0-9]{0,14})\/(preview|thumb)$/

export interface MediaFile {
  readonly file: string
  readonly contentType: 'image/jpeg'
}

export function isMediaPath(pathname: string): boolean {
  return pathname.startsWith('/media/')
}

/** The cached display file for a media URL path, or null when it names nothing servable. */
export async function resolveMedia(context: StudioContext, pathname: string): Promise<MediaFile | null> {
  const match = MEDIA_ROUTE.exec(pathname)
  const session = context.current
  if (!match || !session) return null
  const image = session.project.images.get(Number(match[1]))
  if (!image) return null
  const file = await session.media.file(session.project.absolutePath(image.relPath), image.contentHash, match[2] as 'preview' | 'thumb')
  return { file, contentType: 'image/jpeg' }
}
