/**
 * DAVIS export of the project's frame sequences, as the DAVIS 2017 toolkit reads them:
 * JPEGImages/480p/<sequence>/00000.jpg (frames in frame order) and
 * Annotations/480p/<sequence>/00000.png, an 8-bit palette PNG with the DAVIS palette whose pixel
 * value is the object id (0 background; objects numbered by first appearance, sequenceObjects.ts).
 * Frames keep their original size: the folder is still named 480p because the toolkit looks there.
 * Where masks of two objects overlap, the pixel goes to the higher-scored mask (a mask without a
 * score, drawn by a person, counts as 1; on a tie the later annotation wins), so an annotation
 * never shows two objects. A frame without masks gets an all-zero PNG. objects.json maps the
 * object ids back to categories (davisObjects.ts). The folder is built aside and renamed.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { StudioError } from '../../../../common/ipc/result'
import type { ExportReport } from '../../../../common/ipc/types'
import { countsFromString, decodeRle } from '../../../../common/mask/index'
import type { AnnotationStatus, ExportFrameMask, Project } from '../../store/index'
import { buildFolderAtomically, safeFolderName } from '../exportFolder'
import { writeJpeg } from '../perseg/persegExport'
import { ReportLines, type ProgressListener } from '../report'
import { sequenceObjects } from '../sequenceObjects'
import { DAVIS_RESOLUTION } from './davisLayout'
import { DAVIS_OBJECTS_FILE, type DavisObjects } from './davisObjects'
import { encodeDavisPng } from './davisPalette'

export interface DavisExportOptions {
  /** Default: accepted and edited. */
  readonly statuses?: readonly AnnotationStatus[]
  readonly categoryIds?: readonly number[]
  readonly onProgress?: ProgressListener
  readonly signal?: AbortSignal
}

/** A palette PNG holds ids 0..255. */
const MAX_OBJECTS = 255

export const frameFileName = (position: number): string => String(position).padStart(5, '0')

/** Painting order: lowest score first, so the highest-scored mask ends on top. */
const paintOrder = (a: ExportFrameMask, b: ExportFrameMask): number => (a.score ?? 1) - (b.score ?? 1) || a.id - b.id

export async function exportDavis(project: Project, outDir: string, options: DavisExportOptions = {}): Promise<ExportReport> {
  const filter = { statuses: options.statuses ?? ['accepted', 'edited'], ...(options.categoryIds ? { categoryIds: options.categoryIds } : {}) }
  const snapshot = project.openExportSnapshot()
  try {
    const sequences = snapshot.sequences()
    if (sequences.length === 0) throw new StudioError('invalid-input', 'the project has no frame sequences; a DAVIS export writes sequences (import a video or a frame folder first)')
    const categories = snapshot.categories(filter)
    const categoryOf = new Map(categories.map((category) => [category.id, category]))
    const warnings = new ReportLines()
    const total = sequences.reduce((sum, sequence) => sum + sequence.frames.length, 0)
    const mapping: DavisObjects = { categories: categories.map(({ name, supercategory }) => ({ name, supercategory })), sequences: {} }
    let images = 0
    let annotations = 0
    const resized = new Set<string>()
    await buildFolderAtomically(outDir, async (root) => {
      const used = new Set<string>()
      for (const sequence of sequences) {
        let folder = safeFolderName(sequence.name)
        while (used.has(folder.toLowerCase())) folder = `${folder}_${sequence.id}`
        used.add(folder.toLowerCase())
        const imagesDir = path.join(root, 'JPEGImages', DAVIS_RESOLUTION, folder)
        const annotationsDir = path.join(root, 'Annotations', DAVIS_RESOLUTION, folder)
        await mkdir(imagesDir, { recursive: true })
        await mkdir(annotationsDir, { recursive: true })
        const { objects, frames } = sequenceObjects(snapshot, sequence, filter)
        if (objects.length > MAX_OBJECTS) warnings.add(sequence.name, `${objects.length} objects; a DAVIS annotation holds ${MAX_OBJECTS}, objects ${MAX_OBJECTS + 1} and later are left out`)
        mapping.sequences[folder] = {
          name: sequence.name,
          objects: objects.slice(0, MAX_OBJECTS).map(({ id, categoryId, objectId }) => ({ id, category: categoryOf.get(categoryId)!.name, objectId })),
        }
        for (const [position, { frame, masks }] of frames.entries()) {
          if (options.signal?.aborted) throw new StudioError('cancelled', 'the export was cancelled; no folder was written')
          const name = frameFileName(position)
          try {
            await writeJpeg(project.absolutePath(frame.relPath), path.join(imagesDir, `${name}.jpg`))
          } catch (error) {
            throw new StudioError('not-found', `${frame.relPath} (frame ${position} of ${sequence.name}): cannot be read (${error instanceof Error ? error.message : String(error)}); no folder was written`)
          }
          if (frame.height !== 480) resized.add(`${frame.width}x${frame.height}`)
          const ids = new Uint8Array(frame.width * frame.height)
          for (const { object, mask } of [...masks].sort((a, b) => paintOrder(a.mask, b.mask))) {
            if (object > MAX_OBJECTS) continue
            const pixels = decodeRle({ size: [frame.height, frame.width], counts: countsFromString(mask.counts, `annotation ${mask.id}`) }).data
            for (let p = 0; p < pixels.length; p++) if (pixels[p]) ids[p] = object
            annotations++
          }
          await writeFile(path.join(annotationsDir, `${name}.png`), encodeDavisPng(frame.width, frame.height, ids))
          images++
          options.onProgress?.({ phase: 'frames', done: images, total })
        }
      }
      await writeFile(path.join(root, DAVIS_OBJECTS_FILE), `${JSON.stringify(mapping, null, 2)}\n`)
    })
    if (resized.size > 0) warnings.add(`JPEGImages/${DAVIS_RESOLUTION}`, `frames keep their original size (${[...resized].join(', ')}), not resized to 480 pixels high; the folder keeps the name the DAVIS toolkit expects`)
    return { path: outDir, images, annotations, warnings: warnings.toArray() }
  } finally {
    snapshot.close()
  }
}
