/** Serves the built renderer from one folder, refusing anything that resolves outside it. */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { contentTypeFor, resolveStaticPath } from '../services/web/staticFiles'

export async function serveStatic(
  root: string,
  urlPath: string,
  response: ServerResponse,
  headers: Record<string, string>,
): Promise<boolean> {
  const file = resolveStaticPath(root, urlPath)
  if (!file) return false
  const info = await stat(file).catch(() => null)
  if (!info?.isFile()) return false
  response.writeHead(200, {
    ...headers,
    'content-type': contentTypeFor(file),
    'content-length': String(info.size),
    'cache-control': 'no-cache',
  })
  await new Promise<void>((resolve, reject) => {
    createReadStream(file).on('error', reject).on('end', resolve).pipe(response)
  })
  return true
}
