/**
 * The one folder walker for image folders (studio import, re-linking, CLI propagate): recursive,
 * sorted, hidden entries skipped. Symbolic links to files and folders are followed; a link back
 * into a folder already being walked (a loop) or already walked is reported, not followed. Names
 * that are not valid UTF-8 cannot be opened through a string path, so they are reported by their
 * escaped bytes instead of failing later as "not found".
 */
import type { Dirent, Stats } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { hasImageExtension } from '../images/probe'
import { isInside } from '../store/index'

export interface FileProblem {
  readonly path: string
  readonly message: string
}

export interface FoundFiles {
  readonly images: string[]
  /** Files without an image extension. */
  readonly ignored: number
  /** Entries that were not walked: loops, broken links, unreadable folders, undecodable names. */
  readonly problems: FileProblem[]
}

/** `name` with every byte that is not part of valid UTF-8 written as \xNN. */
export function escapeFileName(name: Buffer): string {
  let out = ''
  let i = 0
  while (i < name.length) {
    const byte = name[i]!
    const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte < 0xe0 ? 2 : byte >= 0xe0 && byte < 0xf0 ? 3 : byte >= 0xf0 && byte < 0xf5 ? 4 : 0
    const piece = length > 0 ? name.subarray(i, i + length) : null
    if (piece && piece.length === length && Buffer.from(piece.toString('utf8'), 'utf8').equals(piece) && !piece.toString('utf8').includes('\ufffd')) {
      out += piece.toString('utf8')
      i += length
    } else {
      out += `\\x${byte.toString(16).padStart(2, '0')}`
      i += 1
    }
  }
  return out
}

const isUtf8 = (name: Buffer): boolean => Buffer.from(name.toString('utf8'), 'utf8').equals(name)

const identity = (stats: Stats): string => `${stats.dev}:${stats.ino}`

/** Image files under `folder`, sorted; `exclude` (the project folder) is skipped. */
export async function findImageFiles(folder: string, exclude: readonly string[] = []): Promise<FoundFiles> {
  const images: string[] = []
  const problems: FileProblem[] = []
  let ignored = 0
  const walked = new Set<string>()
  const walk = async (dir: string, ancestors: ReadonlySet<string>): Promise<void> => {
    const here = await stat(dir)
    const id = identity(here)
    if (ancestors.has(id)) return void problems.push({ path: dir, message: 'symbolic link loop (leads back to a folder above it); not followed' })
    if (walked.has(id)) return void problems.push({ path: dir, message: 'folder already listed through another path; not listed twice' })
    walked.add(id)
    const inside = new Set(ancestors).add(id)
    let entries: Dirent<Buffer>[]
    try {
      entries = await readdir(dir, { withFileTypes: true, encoding: 'buffer' })
    } catch (error) {
      return void problems.push({ path: dir, message: `cannot list the folder (${(error as NodeJS.ErrnoException).code ?? String(error)})` })
    }
    entries.sort((a, b) => Buffer.compare(a.name, b.name))
    for (const entry of entries) {
      if (entry.name[0] === 0x2e) continue // hidden
      if (!isUtf8(entry.name)) {
        problems.push({ path: path.join(dir, escapeFileName(entry.name)), message: 'the file name is not valid UTF-8 and cannot be opened; rename it' })
        continue
      }
      const full = path.join(dir, entry.name.toString('utf8'))
      let isDirectory = entry.isDirectory()
      let isFile = entry.isFile()
      if (entry.isSymbolicLink()) {
        const target = await stat(full).catch((error: NodeJS.ErrnoException) => error)
        if (target instanceof Error) {
          problems.push({ path: full, message: target.code === 'ELOOP' ? 'symbolic link loop; not followed' : `broken symbolic link (${target.code ?? target.message})` })
          continue
        }
        isDirectory = target.isDirectory()
        isFile = target.isFile()
      }
      if (isDirectory) {
        if (!exclude.some((excluded) => isInside(excluded, full))) await walk(full, inside)
      } else if (isFile) {
        if (hasImageExtension(full)) images.push(full)
        else ignored++
      }
    }
  }
  await walk(folder, new Set())
  images.sort()
  return { images, ignored, problems }
}
