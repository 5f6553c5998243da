/**
 * Re-linking: the images moved (a renamed drive, a copied dataset). Every image is looked for
 * at its relative path under the new root (same content hash), and the rest by content hash
 * among the image files under the new root, so moved and renamed files are found too. Hashing
 * every file makes re-linking I/O bound, but a size-only check links swapped same-size files
 * (renamed siblings from one camera) to the wrong rows, and then every mask is on the wrong image.
 * Nothing changes unless at least one image is found; then the new root and the new paths are
 * written in one transaction. Images found nowhere keep their path and are reported.
 */
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { StudioError } from '../../../common/ipc/result'
import type { ReportLine } from '../../../common/ipc/types'
import { hashFile } from '../images/probe'
import { fromRelPath, toRelPath, type ImageRecord, type Project } from '../store/index'
import { findImageFiles } from './folderImport'
import { ReportLines, type ProgressListener } from './report'

export interface RelinkReport {
  readonly imagesRoot: string
  /** Found at the same relative path. */
  readonly samePath: number
  /** Found elsewhere under the new root by content hash. */
  readonly moved: number
  readonly missing: readonly ReportLine[]
}

export interface RelinkOptions {
  /** false: accept a file at the old relative path when its byte size matches (fast, but fooled by same-size swaps). */
  readonly verifyHash?: boolean
  readonly onProgress?: ProgressListener
}

export async function relinkImagesRoot(project: Project, newRoot: string, options: RelinkOptions = {}): Promise<RelinkReport> {
  const root = path.resolve(newRoot)
  if (!(await stat(root).catch(() => null))?.isDirectory()) throw new StudioError('invalid-input', `${newRoot} is not a folder`)
  const images = [...project.images.iterate()]
  const changes: { id: number; relPath: string }[] = []
  const unresolved: ImageRecord[] = []
  let samePath = 0
  let checked = 0
  for (const image of images) {
    const file = fromRelPath(root, image.relPath)
    const info = await stat(file).catch(() => null)
    const matches = info?.isFile() && info.size === image.byteSize && (options.verifyHash === false || (await hashFile(file)).contentHash === image.contentHash)
    if (matches) samePath++
    else unresolved.push(image)
    checked++
    options.onProgress?.({ phase: 'check', done: checked, total: images.length })
  }

  let moved = 0
  if (unresolved.length > 0) {
    // Only files with the byte size of a missing image can be it: hash just those.
    const wantedSizes = new Set(unresolved.map((image) => image.byteSize))
    const byHash = new Map<string, string>()
    const { images: files } = await findImageFiles(root, [project.dir])
    let hashed = 0
    for (const file of files) {
      const info = await stat(file).catch(() => null)
      if (info && wantedSizes.has(info.size)) {
        const { contentHash } = await hashFile(file)
        if (!byHash.has(contentHash)) byHash.set(contentHash, file)
      }
      hashed++
      options.onProgress?.({ phase: 'search', done: hashed, total: files.length })
    }
    for (const image of unresolved.splice(0)) {
      const file = byHash.get(image.contentHash)
      if (file === undefined) unresolved.push(image)
      else {
        byHash.delete(image.contentHash)
        changes.push({ id: image.id, relPath: toRelPath(root, file) })
        moved++
      }
    }
  }
  if (samePath + moved === 0 && images.length > 0) {
    throw new StudioError('not-found', `none of the ${images.length} images were found under ${root}; the images root was not changed`)
  }
  project.transaction(() => {
    project.images.setRelPaths(changes)
    project.setImagesRoot(root)
  })
  const missing = new ReportLines()
  for (const image of unresolved) missing.add(image.relPath, 'not found under the new root (neither at its path nor by content)')
  return { imagesRoot: root, samePath, moved, missing: missing.toArray() }
}
