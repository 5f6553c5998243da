/**
 * The renderer is served from `studio://app/` rather than file://, so the page has a real origin
 * for its CSP and for the IPC sender check, and the protocol handler can confine what it serves.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { protocol } from 'electron'
import { contentSecurityPolicy } from '../security/csp'
import { resolveStaticPath } from '../server/staticFiles'

export const APP_SCHEME = 'studio'
export const APP_ORIGIN = `${APP_SCHEME}://app`

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
}

/** Must run before the app is ready. */
export function registerAppSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ])
}

/** Finds the file behind a `/media/...` path of the open project, or null. */
export type MediaResolver = (pathname: string) => Promise<{ file: string; contentType: string } | null>

export function handleAppProtocol(rendererDir: string, resolveMedia: MediaResolver): void {
  const csp = contentSecurityPolicy()
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    if (url.host === 'app' && url.pathname.startsWith('/media/')) {
      const media = await resolveMedia(url.pathname).catch(() => null)
      const body = media ? await readFile(media.file).catch(() => null) : null
      if (!media || !body) return new Response('no such image', { status: 404 })
      return new Response(body, { headers: { 'content-type': media.contentType, 'x-content-type-options': 'nosniff' } })
    }
    const file = url.host === 'app' ? resolveStaticPath(rendererDir, url.pathname) : null
    const body = file ? await readFile(file).catch(() => null) : null
    if (!file || !body) return new Response('not found', { status: 404 })
    return new Response(body, {
      headers: {
        'content-type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        'content-security-policy': csp,
        'x-content-type-options': 'nosniff',
      },
    })
  })
}
