/**
 * What `studio://app/` answers, as a fetch-style handler with no Electron import, so the rules
 * are tested under plain Node: the renderer's files (confined to their folder, with the CSP) and
 * media by the same `mediaReply` as the browser-mode server (fingerprinted URLs, ETag, 304).
 */
import { readFile } from 'node:fs/promises'
import type { MediaHttpRequest, MediaReply } from '../api/media'
import { contentSecurityPolicy } from '../security/csp'
import { contentTypeFor, decodeUrlPath, resolveStaticPath } from '../services/web/staticFiles'

/** Answers a `/media/...` request of the open project (see src/main/api/media.ts). */
export type MediaResponder = (request: MediaHttpRequest) => Promise<MediaReply>

export function appRequestHandler(rendererDir: string, media: MediaResponder): (request: Request) => Promise<Response> {
  const csp = contentSecurityPolicy()
  return async (request) => {
    const url = new URL(request.url)
    if (url.host !== 'app') return new Response('not found', { status: 404 })
    if (decodeUrlPath(url.pathname) === null) return new Response('malformed %-encoding in the path', { status: 400 })
    if (url.pathname.startsWith('/media/')) {
      const reply = await media({ method: request.method, pathname: url.pathname, ifNoneMatch: request.headers.get('if-none-match') ?? undefined })
      if (reply.status !== 200) return new Response(reply.status === 304 ? null : reply.body, { status: reply.status, headers: reply.headers })
      const body = request.method === 'HEAD' ? null : await readFile(reply.file).catch(() => undefined)
      if (body === undefined) return new Response('no such image', { status: 404, headers: { 'cache-control': 'no-store' } })
      return new Response(body, { headers: reply.headers })
    }
    const file = resolveStaticPath(rendererDir, url.pathname)
    const body = file ? await readFile(file).catch(() => null) : null
    if (!file || !body) return new Response('not found', { status: 404 })
    return new Response(body, {
      headers: { 'content-type': contentTypeFor(file), 'content-security-policy': csp, 'x-content-type-options': 'nosniff' },
    })
  }
}
