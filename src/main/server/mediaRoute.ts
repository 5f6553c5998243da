/** The browser-mode server's media route (after the server's token, host and origin checks). */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { StudioContext } from '../api/context'
import { isMediaPath, resolveMedia } from '../api/media'
import type { ExtraRoute } from './server'

export function mediaRoute(context: StudioContext): ExtraRoute {
  return async (request, response, url) => {
    if (!isMediaPath(url.pathname)) return false
    const media = request.method === 'GET' ? await resolveMedia(context, url.pathname).catch(() => null) : null
    if (!media) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
      response.end('no such image')
      return true
    }
    const info = await stat(media.file)
    response.writeHead(200, {
      'content-type': media.contentType,
      'content-length': String(info.size),
      'cache-control': 'private, max-age=3600',
      'x-content-type-options': 'nosniff',
    })
    await new Promise<void>((resolve, reject) => createReadStream(media.file).on('error', reject).on('end', resolve).pipe(response))
    return true
  }
}
