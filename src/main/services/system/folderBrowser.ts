/**
 * The browser-mode folder picker's one level of listing. A browser cannot open a native dialog
 * on the server's disk, so the server lists folders itself, but only inside the places it may
 * show: the user's home and the studio's data folder. Every path (the one asked for and each
 * entry) is resolved through its symlinks first and checked again, so a link cannot lead out.
 */
import { readdir, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import type { FolderListing } from '../../../common/ipc/types'
import { StudioError } from '../../../common/ipc/result'

/** Enough for any real folder; a folder with more shows the first ones by name. */
const MAX_ENTRIES = 5000

function inside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate)
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
}

/** The allowed roots, resolved; a root that is the filesystem root itself would allow everything, so it is dropped. */
export async function browseRoots(candidates: readonly string[]): Promise<string[]> {
  const roots: string[] = []
  for (const candidate of candidates) {
    const real = await realpath(candidate).catch(() => null)
    if (real && path.dirname(real) !== real && !roots.includes(real)) roots.push(real)
  }
  return roots
}

export async function listFolder(
  requested: string | undefined,
  roots: readonly string[],
  fileExtensions: readonly string[] = [],
): Promise<FolderListing> {
  if (roots.length === 0) throw new StudioError('not-found', 'there is no folder the studio may show')
  const asked = requested ?? roots[0]!
  if (!path.isAbsolute(asked)) throw new StudioError('invalid-input', `${asked}: give an absolute path`)
  const real = await realpath(path.resolve(asked)).catch(() => null)
  if (real === null) throw new StudioError('not-found', `${asked} does not exist`)
  const root = roots.find((r) => inside(r, real))
  if (!root) throw new StudioError('unauthorized', `${asked} is outside the folders the studio may show (${roots.join(', ')})`)
  if (!(await stat(real)).isDirectory()) throw new StudioError('invalid-input', `${asked} is not a folder`)

  const folders: { name: string; path: string }[] = []
  const files: { name: string; path: string }[] = []
  const entries = (await readdir(real, { withFileTypes: true })).filter((e) => !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name))
  for (const entry of entries.slice(0, MAX_ENTRIES)) {
    const full = path.join(real, entry.name)
    let target = full
    let isDirectory = entry.isDirectory()
    let isFile = entry.isFile()
    if (entry.isSymbolicLink()) {
      const resolved = await realpath(full).catch(() => null)
      // A link is shown only when where it leads is itself allowed.
      if (resolved === null || !roots.some((r) => inside(r, resolved))) continue
      const info = await stat(resolved).catch(() => null)
      target = resolved
      isDirectory = info?.isDirectory() ?? false
      isFile = info?.isFile() ?? false
    }
    if (isDirectory) folders.push({ name: entry.name, path: target })
    else if (isFile && fileExtensions.includes(path.extname(entry.name).toLowerCase())) files.push({ name: entry.name, path: target })
  }
  return { path: real, parent: real === root ? null : path.dirname(real), roots, folders, files }
}
