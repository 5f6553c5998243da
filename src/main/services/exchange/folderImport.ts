/**
 * Imports every image under a folder (recursively): jpg, png, webp, tiff and bmp. Files are
 * probed first (size after EXIF orientation, content hash) with nothing written; then one
 * transaction adds them all, so an import either completes or leaves the project unchanged.
 * Unreadable files are reported and skipped; files whose content is already in the project or
 * earlier in this import are reported as duplicates and not added twice.
 */
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { StudioError } from '../../../common/ipc/result'
import type { ImportReport } from '../../../common/ipc/types'
import { probeImage, type ImageProbe } from '../images/probe'
import { findImageFiles } from '../fs/findImageFiles'
import { toRelPath, type NewImage, type Project } from '../store/index'
import { ReportLines, importReport, type ProgressListener } from './report'

export interface FolderImportOptions {
  /** Decode every pixel to catch truncated files (slow); by default only headers are read. */
  readonly decode?: boolean
  /** Files probed at once. */
  readonly concurrency?: number
  readonly onProgress?: ProgressListener
  readonly signal?: AbortSignal
}

export { findImageFiles, type FoundFiles } from '../fs/findImageFiles'

/** Probes `files` with bounded concurrency, keeping input order; failures come back as Errors. */
export async function probeAll(files: readonly string[], options: FolderImportOptions, phase = 'probe'): Promise<(ImageProbe | Error)[]> {
  const results: (ImageProbe | Error)[] = new Array(files.length)
  let next = 0
  let done = 0
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      if (options.signal?.aborted) throw new StudioError('cancelled', 'the import was cancelled; nothing was changed')
      const index = next++
      results[index] = await probeImage(files[index]!, { decode: options.decode ?? false }).catch((error: unknown) =>
        error instanceof Error ? error : new Error(String(error)),
      )
      done++
      options.onProgress?.({ phase, done, total: files.length })
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker))
  return results
}

export async function importImageFolder(project: Project, folder: string, options: FolderImportOptions = {}): Promise<ImportReport> {
  const root = path.resolve(folder)
  const rootStat = await stat(root).catch(() => null)
  if (!rootStat?.isDirectory()) throw new StudioError('invalid-input', `${folder} is not a folder`)
  const skipped = new ReportLines()
  const duplicates = new ReportLines()
  const found = await findImageFiles(root, [project.dir])
  if (found.ignored > 0) skipped.add(root, `${found.ignored} files without an image extension (jpg, png, webp, tiff, bmp) were ignored`)
  for (const problem of found.problems) skipped.add(problem.path, problem.message)
  const probes = await probeAll(found.images, options)

  let added = 0
  project.transaction(() => {
    project.coverFolder(root)
    const seen = project.images.contentHashes()
    const fresh: NewImage[] = []
    found.images.forEach((file, i) => {
      const probe = probes[i]!
      if (probe instanceof Error) return skipped.add(file, probe.message.replace(`${file}: `, ''))
      const relPath = toRelPath(project.imagesRoot, file)
      const samePath = project.images.byRelPath(relPath)
      if (samePath) {
        if (samePath.contentHash !== probe.contentHash) skipped.add(file, 'already in the project, but its content changed since it was imported; not updated')
        return
      }
      const earlier = seen.get(probe.contentHash)
      if (earlier !== undefined) return duplicates.add(file, `same content as ${earlier}; not added again`)
      seen.set(probe.contentHash, relPath)
      fresh.push({ relPath, contentHash: probe.contentHash, byteSize: probe.byteSize, width: probe.width, height: probe.height, format: probe.format })
    })
    options.onProgress?.({ phase: 'write', done: 0, total: fresh.length })
    added = project.images.add(fresh).length
  })
  return importReport({ images: added, annotations: 0, categories: 0 }, skipped, duplicates)
}
