/**
 * DAVIS-layout import (davisLayout.ts): every frame becomes an image, every sequence folder a
 * frame sequence (frames in natural file-name order), every object id of an annotation PNG an
 * accepted annotation on its frame. An object's category comes from objects.json when the folder
 * has one (a DAVIS export of the studio writes it; the tracking object id is restored too), else
 * each object id gets its own category "<sequence> object <id>", since DAVIS ids only number the
 * objects of one sequence. Identical frames stay separate images (a still scene repeats frames).
 * Everything is checked and staged first; one transaction then adds images, categories,
 * sequences and annotations, so the import completes or changes nothing.
 */
import path from 'node:path'
import { StudioError } from '../../../../common/ipc/result'
import type { ImportReport } from '../../../../common/ipc/types'
import type { ImageProbe } from '../../images/probe'
import { storedMaskFromBinary, toRelPath, type ImportStager, type Project } from '../../store/index'
import { probeAll } from '../folderImport'
import { ReportLines, importReport, type ProgressListener } from '../report'
import { readDavisAnnotation, readDavisLayout, type DavisLayout } from './davisLayout'
import { readDavisObjects, type DavisObjects } from './davisObjects'

export interface DavisImportOptions {
  /** The resolution folder (default: 480p when present, else the only one). */
  readonly resolution?: string
  readonly onProgress?: ProgressListener
  readonly signal?: AbortSignal
}

interface ObjectCategory {
  readonly category: string
  readonly supercategory: string | null
  readonly objectId: string | null
}

/** What object `id` of sequence folder `folder` is: from objects.json, else a category of its own. */
function objectCategory(mapping: DavisObjects | null, folder: string, sequenceName: string, id: number): ObjectCategory {
  const listed = mapping?.sequences[folder]?.objects.find((object) => object.id === id)
  if (!listed) return { category: `${sequenceName} object ${id}`, supercategory: null, objectId: null }
  const supercategory = mapping?.categories?.find((category) => category.name === listed.category)?.supercategory ?? null
  return { category: listed.category, supercategory, objectId: listed.objectId ?? null }
}

const sequenceNameOf = (mapping: DavisObjects | null, folder: string): string => mapping?.sequences[folder]?.name ?? folder

export async function importDavis(project: Project, folder: string, options: DavisImportOptions = {}): Promise<ImportReport> {
  const layout = await readDavisLayout(folder, options.resolution !== undefined ? { resolution: options.resolution } : {})
  const mapping = await readDavisObjects(layout.root)
  for (const sequence of layout.sequences) {
    const name = sequenceNameOf(mapping, sequence.name)
    if (project.sequences.byName(name)) throw new StudioError('conflict', `${path.join(layout.root, 'JPEGImages')}: the project already has a sequence named "${name}"; nothing was imported`)
  }
  const frames = layout.sequences.flatMap((sequence) => sequence.frames.map((frame) => ({ ...frame, folder: sequence.name })))
  const probed = await probeAll(
    frames.map((frame) => frame.image),
    { ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
  )
  // A sequence with a hole would mislead tracking: an unreadable frame fails the import.
  const probes = probed.map((probe, k): ImageProbe => {
    if (probe instanceof Error) throw new StudioError('invalid-input', `${frames[k]!.image}: not a readable frame (${probe.message.replace(`${frames[k]!.image}: `, '')}); nothing was imported`)
    return probe
  })

  const skipped = new ReportLines()
  const categories = new Map<string, { key: number; supercategory: string | null }>()
  // objects.json lists the categories in the exporting project's order: create them in that order.
  for (const { name, supercategory } of mapping?.categories ?? []) categories.set(name, { key: categories.size + 1, supercategory: supercategory ?? null })
  const used = new Set<string>()
  let stager: ImportStager | undefined
  try {
    const staging = (stager = project.beginImport())
    for (const [k, frame] of frames.entries()) {
      if (options.signal?.aborted) throw new StudioError('cancelled', 'the import was cancelled; nothing was changed')
      options.onProgress?.({ phase: 'read masks', done: k, total: frames.length })
      if (frame.annotation === null) continue
      const probe = probes[k]!
      const { width, height, ids } = await readDavisAnnotation(frame.annotation)
      if (width !== probe.width || height !== probe.height) {
        throw new StudioError('invalid-input', `${frame.annotation}: the mask is ${width}x${height} but its frame ${path.basename(frame.image)} is ${probe.width}x${probe.height}; nothing was imported`)
      }
      const sequenceName = sequenceNameOf(mapping, frame.folder)
      for (const [id, data] of objectMasks(ids)) {
        const object = objectCategory(mapping, frame.folder, sequenceName, id)
        if (!categories.has(object.category)) categories.set(object.category, { key: categories.size + 1, supercategory: object.supercategory })
        used.add(object.category)
        staging.stageAnnotation({
          imageKey: k,
          categoryKey: categories.get(object.category)!.key,
          mask: storedMaskFromBinary({ width, height, data }),
          status: 'accepted',
          source: 'manual',
          method: { davis: { sequence: sequenceName, object: id }, ...(object.objectId !== null ? { objectId: object.objectId } : {}) },
        })
      }
    }
    for (const sequence of layout.sequences) {
      const bare = sequence.frames.filter((frame) => frame.annotation === null).length
      if (bare > 0) skipped.add(sequence.name, `${bare} of ${sequence.frames.length} frames have no annotation PNG; they are added without masks`)
    }

    const tally = { images: 0, annotations: 0, categories: 0 }
    options.onProgress?.({ phase: 'write', done: 0, total: staging.staged })
    tally.annotations = staging.commit((keys) => {
      project.coverFolder(imagesFolder(layout))
      const imageIds = addFrames(project, frames.map((frame, k) => ({ file: frame.image, probe: probes[k]! })), tally)
      imageIds.forEach((imageId, k) => keys.image(k, imageId))
      for (const [name, { key, supercategory }] of categories) {
        if (!used.has(name)) continue
        const known = project.categories.byName(name)
        if (!known) tally.categories++
        keys.category(key, (known ?? project.categories.create({ name, supercategory })).id)
      }
      let k = 0
      for (const sequence of layout.sequences) {
        const first = k
        k += sequence.frames.length
        project.sequences.create(
          { name: sequenceNameOf(mapping, sequence.name), source: 'frames', sourcePath: path.dirname(sequence.frames[0]!.image) },
          sequence.frames.map((_, position) => ({ imageId: imageIds[first + position]!, frameIndex: position })),
        )
      }
    })
    return importReport(tally, skipped, new ReportLines())
  } finally {
    stager?.close()
  }
}

/** The folder holding the sequence folders, which the project's images root must cover. */
const imagesFolder = (layout: DavisLayout): string => path.join(layout.root, 'JPEGImages', ...(layout.resolution === null ? [] : [layout.resolution]))

/** Project image ids of the frames: an image already in the project at the same path is reused, the others added. */
function addFrames(project: Project, frames: readonly { file: string; probe: ImageProbe }[], tally: { images: number }): number[] {
  const ids: (number | null)[] = []
  const fresh: { index: number; relPath: string }[] = []
  frames.forEach(({ file }, index) => {
    const relPath = toRelPath(project.imagesRoot, file)
    const existing = project.images.byRelPath(relPath)
    ids.push(existing?.id ?? null)
    if (!existing) fresh.push({ index, relPath })
  })
  const added = project.images.add(fresh.map(({ index, relPath }) => ({ ...frames[index]!.probe, relPath })))
  tally.images = added.length
  fresh.forEach(({ index }, i) => (ids[index] = added[i]!.id))
  return ids as number[]
}

/** One binary mask per object id present (ascending ids). */
function objectMasks(ids: Uint8Array): Map<number, Uint8Array> {
  const masks = new Map<number, Uint8Array>()
  for (let p = 0; p < ids.length; p++) {
    const id = ids[p]!
    if (id === 0) continue
    let mask = masks.get(id)
    if (!mask) masks.set(id, (mask = new Uint8Array(ids.length)))
    mask[p] = 1
  }
  return new Map([...masks].sort(([a], [b]) => a - b))
}
