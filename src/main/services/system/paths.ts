/**
 * Where the studio's bundled files live: resources/ in the repository (CLI, tests, browser mode,
 * `npm start`), or the packaged app's resources folder (electron-builder's extraResources).
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

let cached: string | null = null

export function resourcesDir(): string {
  if (cached) return cached
  const packaged = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath
  if (packaged && existsSync(path.join(packaged, 'models'))) return (cached = packaged)
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = path.join(dir, 'resources')
    if (existsSync(path.join(candidate, 'models'))) return (cached = candidate)
    const parent = path.dirname(dir)
    if (parent === dir) throw new Error('cannot find the studio resources folder (resources/models)')
    dir = parent
  }
}

/** The bundled toy SAM model (real inference, colour-based). */
export function toyModelDir(): string {
  return path.join(resourcesDir(), 'models', 'toy-sam')
}
