/** The browser-mode server's media route (after the server's token, host and origin checks). */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { StudioContext } from '../api/context'
import { isMediaPath, mediaReply } from '../api/media'
import type { ExtraRoute } from './server'

export function mediaRoute(context: StudioContext): ExtraRoute {
  return async (request, response, url) => {
    if (!isMediaPath(url.pathname)) return false
    const method = request.method ?? 'GET'
    const reply = await mediaReply(context, { method, pathname: url.pathname, ifNoneMatch: request.headers['if-none-match'] })
    if (reply.status !== 200) {
      response.writeHead(reply.status, reply.headers)
      response.end(reply.body)
      return true
    }
    const info = await stat(reply.file)
    response.writeHead(200, { ...reply.headers, 'content-length': String(info.size) })
    if (method === 'HEAD') response.end()
    else await new Promise<void>((resolve, reject) => createReadStream(reply.file).on('error', reject).on('end', resolve).pipe(response))
    return true
  }
}
