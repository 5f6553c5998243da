/**
 * PerSeg-layout import (Personalize-SAM's dataset): <root>/Images/<object>/<name>.jpg with
 * <root>/Annotations/<object>/<name>.png. Each object folder becomes a category, each mask an
 * accepted annotation (an empty mask an "absent" marker), and the first image of each object
 * (PerSeg's 00, the reference shot) becomes the category's reference. Files are read first;
 * one transaction then writes everything, so the import completes or changes nothing.
 */
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { StudioError } from '../../../../common/ipc/result'
import type { ImportReport } from '../../../../common/ipc/types'
import { maskArea, type BinaryMask } from '../../../../common/mask/index'
import { readMaskImage } from '../../images/maskPng'
import { hasImageExtension, type ImageProbe } from '../../images/probe'
import { storedMaskFromBinary, toRelPath, type AnnotationDraft, type Project } from '../../store/index'
import { probeAll } from '../folderImport'
import { ReportLines, importReport, type ProgressListener } from '../report'

export interface PersegImportOptions {
  /** Make each object's first image the category's reference (default true). */
  readonly markReferences?: boolean
  readonly onProgress?: ProgressListener
  readonly signal?: AbortSignal
}

interface Entry {
  readonly object: string
  readonly image: string
  readonly mask: string | null
}

async function listDir(dir: string): Promise<string[]> {
  return (await readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.')).map((e) => e.name).sort()
}

export async function findPersegEntries(root: string): Promise<Entry[]> {
  const imagesDir = path.join(root, 'Images')
  const masksDir = path.join(root, 'Annotations')
  for (const dir of [imagesDir, masksDir]) {
    if (!(await stat(dir).catch(() => null))?.isDirectory()) throw new StudioError('invalid-input', `${root} is not a PerSeg folder: ${path.basename(dir)}/ is missing`)
  }
  const entries: Entry[] = []
  for (const object of await listDir(imagesDir)) {
    if (!(await stat(path.join(imagesDir, object))).isDirectory()) continue
    const masks = new Map<string, string>()
    for (const name of await listDir(path.join(masksDir, object)).catch(() => [])) {
      if (hasImageExtension(name)) masks.set(path.parse(name).name, path.join(masksDir, object, name))
    }
    for (const name of await listDir(path.join(imagesDir, object))) {
      if (!hasImageExtension(name)) continue
      entries.push({ object, image: path.join(imagesDir, object, name), mask: masks.get(path.parse(name).name) ?? null })
    }
  }
  return entries
}

export async function importPerseg(project: Project, root: string, options: PersegImportOptions = {}): Promise<ImportReport> {
  const entries = await findPersegEntries(path.resolve(root))
  const skipped = new ReportLines()
  const duplicates = new ReportLines()
  const probes = await probeAll(
    entries.map((e) => e.image),
    { ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
  )
  const masks: (BinaryMask | null)[] = []
  for (const [i, entry] of entries.entries()) {
    if (options.signal?.aborted) throw new StudioError('cancelled', 'the import was cancelled; nothing was changed')
    const probe = probes[i]!
    if (probe instanceof Error || entry.mask === null) {
      masks.push(null)
      if (probe instanceof Error) skipped.add(entry.image, probe.message.replace(`${entry.image}: `, ''))
      else skipped.add(entry.image, `no mask in Annotations/${entry.object}/; the image is added without annotation`)
      continue
    }
    const mask = await readMaskImage(entry.mask).catch((error: unknown) => error as Error)
    if (mask instanceof Error) skipped.add(entry.mask, mask.message.replace(`${entry.mask}: `, ''))
    else if (mask.width !== probe.width || mask.height !== probe.height) {
      skipped.add(entry.mask, `mask is ${mask.width}x${mask.height} but the image is ${probe.width}x${probe.height} (after EXIF orientation)`)
    }
    masks.push(mask instanceof Error || mask.width !== probe.width || mask.height !== probe.height ? null : mask)
  }

  const tally = { images: 0, annotations: 0, categories: 0 }
  project.transaction(() => {
    project.coverFolder(path.join(path.resolve(root), 'Images'))
    const known = project.images.contentHashes()
    const imageIds: (number | null)[] = []
    const fresh: { index: number; probe: ImageProbe; relPath: string }[] = []
    entries.forEach((entry, i) => {
      const probe = probes[i]!
      if (probe instanceof Error) return imageIds.push(null)
      const relPath = toRelPath(project.imagesRoot, entry.image)
      const existing = project.images.byRelPath(relPath) ?? (known.has(probe.contentHash) ? project.images.byRelPath(known.get(probe.contentHash)!) : undefined)
      if (existing) {
        if (existing.relPath !== relPath) duplicates.add(entry.image, `same content as ${existing.relPath}; its mask is added to that image`)
        return imageIds.push(existing.id)
      }
      known.set(probe.contentHash, relPath)
      imageIds.push(-1 - fresh.length)
      fresh.push({ index: i, probe, relPath })
    })
    const added = project.images.add(fresh.map(({ probe, relPath }) => ({ ...probe, relPath })))
    tally.images = added.length
    const idOf = (i: number): number | null => {
      const id = imageIds[i]!
      return id === null ? null : id >= 0 ? id : added[-1 - id]!.id
    }
    const drafts: AnnotationDraft[] = []
    const firstOfObject = new Map<string, number>()
    entries.forEach((entry, i) => {
      const imageId = idOf(i)
      const mask = masks[i]
      if (imageId === null || !mask) return
      let category = project.categories.byName(entry.object)
      if (!category) {
        category = project.categories.create({ name: entry.object })
        tally.categories++
      }
      const empty = maskArea(mask) === 0
      if (!firstOfObject.has(entry.object) && !empty) firstOfObject.set(entry.object, drafts.length)
      drafts.push({ imageId, categoryId: category.id, mask: empty ? null : storedMaskFromBinary(mask), status: empty ? 'absent' : 'accepted', source: 'manual', method: { perseg: path.relative(root, entry.mask!) } })
    })
    const ids = project.annotations.importMany(drafts)
    tally.annotations = ids.length
    if (options.markReferences !== false && firstOfObject.size > 0) {
      project.references.importReferences([...firstOfObject.values()].map((index) => ids[index]!))
    }
  })
  return importReport(tally, skipped, duplicates)
}
