/**
 * The one way files reach their final name: written aside to a hidden temporary name in the
 * same folder, fsynced, renamed over the target, and the folder fsynced so the rename survives a
 * crash. Any failure removes the temporary. Readers of the target see the old content or the
 * complete new one, never a partial file. Folders are built the same way (see buildFolderAtomically).
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, readdir, rename, rm, rmdir } from 'node:fs/promises'
import path from 'node:path'
import { StudioError } from '../../../common/ipc/result'

/** `.<name>.<pid>-<random>.tmp` next to `target`: hidden from folder walkers, unique per writer. */
export function temporaryPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`)
}

/** True for names temporaryPathFor makes (tests and cleanup use it). */
export function isTemporaryName(name: string): boolean {
  return /^\..+\.\d+-[0-9a-f]{8}\.tmp$/.test(name)
}

/** Flushes a file's data to the disk. */
export async function syncFile(file: string): Promise<void> {
  const handle = await open(file, 'r+')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * Flushes a folder's entries (a rename's durability). Platforms that cannot open or fsync a
 * folder (Windows) refuse with these codes; their renames are durable by other means.
 */
export async function syncDirectory(dir: string): Promise<void> {
  let handle
  try {
    handle = await open(dir, 'r')
    await handle.sync()
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES' && code !== 'EBADF') throw error
  } finally {
    await handle?.close().catch(() => undefined)
  }
}

/**
 * `produce` writes the temporary file (sharp's toFile, a stream, a check that loads it); the
 * file is then fsynced and renamed into place. The temporary is removed on any failure.
 */
export async function writeAtomicWith<T>(target: string, produce: (temporary: string) => Promise<T>): Promise<T> {
  const temporary = temporaryPathFor(target)
  try {
    const result = await produce(temporary)
    await syncFile(temporary)
    await rename(temporary, target)
    await syncDirectory(path.dirname(target))
    return result
  } catch (error) {
    await rm(temporary, { force: true, recursive: true }).catch(() => undefined)
    throw error
  }
}

export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await writeAtomicWith(target, async (temporary) => {
    const handle = await open(temporary, 'wx')
    try {
      await handle.writeFile(data)
    } finally {
      await handle.close()
    }
  })
}

/** Pretty-printed JSON with a final newline. */
export const writeJsonAtomic = (target: string, value: unknown): Promise<void> => writeFileAtomic(target, `${JSON.stringify(value, null, 2)}\n`)

/**
 * Builds a folder in a temporary sibling and renames it into place at the end, so the target
 * either does not exist or is complete. An existing, non-empty target is refused rather than
 * mixed with older files; an empty one is replaced.
 */
export async function buildFolderAtomically<T>(target: string, build: (temporary: string) => Promise<T>): Promise<T> {
  const entries = await readdir(target).catch(() => null)
  if (entries !== null && entries.length > 0) throw new StudioError('conflict', `${target} already exists and is not empty; choose a new or empty folder`)
  const temporary = temporaryPathFor(target)
  await mkdir(temporary, { recursive: true })
  try {
    const result = await build(temporary)
    await syncDirectory(temporary)
    if (entries !== null) await rmdir(target)
    await rename(temporary, target)
    await syncDirectory(path.dirname(target))
    return result
  } catch (error) {
    await rm(temporary, { recursive: true, force: true }).catch(() => undefined)
    throw error
  }
}
