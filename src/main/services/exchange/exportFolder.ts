/**
 * Folder exports (PerSeg layout, PNG masks) are built in a temporary sibling folder and renamed
 * into place at the end, so the target either does not exist or is complete. An existing,
 * non-empty target is refused rather than mixed with older files.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises'
import path from 'node:path'
import { StudioError } from '../../../common/ipc/result'

export async function buildFolderAtomically<T>(target: string, build: (temporary: string) => Promise<T>): Promise<T> {
  const entries = await readdir(target).catch(() => null)
  if (entries !== null && entries.length > 0) throw new StudioError('conflict', `${target} already exists and is not empty; choose a new or empty folder`)
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.tmp`)
  await mkdir(temporary, { recursive: true })
  try {
    const result = await build(temporary)
    if (entries !== null) await rmdir(target)
    await rename(temporary, target)
    return result
  } catch (error) {
    await rm(temporary, { recursive: true, force: true })
    throw error
  }
}

/** A category name as a folder name on every platform. */
export function safeFolderName(name: string): string {
  const cleaned = [...name]
    .map((c) => (c.charCodeAt(0) < 32 || '<>:"/\\|?*'.includes(c) ? '_' : c))
    .join('')
    .replace(/[. ]+$/, '')
    .trim()
  return cleaned === '' || /^(con|prn|aux|nul|com\d|lpt\d)$/i.test(cleaned) ? `_${cleaned}` : cleaned
}
