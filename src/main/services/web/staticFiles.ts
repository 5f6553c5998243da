/**
 * The built renderer's files, confined to one folder: the mapping from URL paths to files and
 * their content types, shared by the browser-mode server and Electron's studio:// protocol.
 */
import path from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
}

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream'
}

/** The decoded URL path, or null when its %-encoding is malformed (a client error, not ours). */
export function decodeUrlPath(urlPath: string): string | null {
  try {
    return decodeURIComponent(urlPath)
  } catch {
    return null
  }
}

/** Maps a URL path to a file under `root`, or null when it would escape the folder. */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  const decoded = decodeUrlPath(urlPath)
  if (decoded === null || decoded.includes('\0')) return null
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '')
  const absolute = path.resolve(root, relative)
  const rootWithSep = path.resolve(root) + path.sep
  return absolute.startsWith(rootWithSep) ? absolute : null
}
