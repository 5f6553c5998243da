/**
 * YouTube-VIS-style JSON of the project's frame sequences: `videos` (one per sequence: size, frame
 * count, the frames' file names in frame order), `categories` (1..K in project order, as the COCO
 * export numbers them) and `annotations`, one per object track (sequenceObjects.ts): per frame a
 * compressed COCO RLE or null where the object is not on the frame, with its area and bbox. A
 * track's masks on one frame are united. Written as a stream to a temporary file renamed into
 * place, like the COCO export, so memory holds one sequence's tracks at a time.
 */
import path from 'node:path'
import { StudioError } from '../../../../common/ipc/result'
import type { ExportReport } from '../../../../common/ipc/types'
import { compressRle, countsFromString, mergeRles, rleArea, rleBbox, type CocoRle } from '../../../../common/mask/index'
import { AtomicTextWriter } from '../../fs/atomicTextWriter'
import type { AnnotationStatus, ExportSequence, Project } from '../../store/index'
import { ReportLines, type ProgressListener } from '../report'
import { sequenceObjects } from '../sequenceObjects'

export interface YoutubeVisExportOptions {
  /** Default: accepted and edited. */
  readonly statuses?: readonly AnnotationStatus[]
  readonly categoryIds?: readonly number[]
  readonly onProgress?: ProgressListener
  readonly signal?: AbortSignal
}

/** The sequence's frame size, or why it has none (YouTube-VIS gives a video one size). */
function videoSize(sequence: ExportSequence): { width: number; height: number } | string {
  const first = sequence.frames[0]
  if (!first) return 'no frames'
  const other = sequence.frames.find((frame) => frame.width !== first.width || frame.height !== first.height)
  return other ? `frames differ in size (${first.relPath} is ${first.width}x${first.height}, ${other.relPath} is ${other.width}x${other.height})` : first
}

export async function exportYoutubeVis(project: Project, outFile: string, options: YoutubeVisExportOptions = {}): Promise<ExportReport> {
  const filter = { statuses: options.statuses ?? ['accepted', 'edited'], ...(options.categoryIds ? { categoryIds: options.categoryIds } : {}) }
  const snapshot = project.openExportSnapshot()
  let writer: AtomicTextWriter | null = null
  try {
    const warnings = new ReportLines()
    const sequences = snapshot.sequences().filter((sequence) => {
      const size = videoSize(sequence)
      if (typeof size === 'string') warnings.add(sequence.name, `${size}; not exported`)
      return typeof size !== 'string'
    })
    if (sequences.length === 0 && warnings.count === 0) throw new StudioError('invalid-input', 'the project has no frame sequences; a YouTube-VIS export writes sequences (import a video or a frame folder first)')
    const categories = snapshot.categories(filter)
    const categoryNumber = new Map(categories.map((category, i) => [category.id, i + 1]))
    writer = await AtomicTextWriter.create(outFile)
    const info = { description: `Exported by PerSAM Studio from ${path.basename(project.dir)}`, date_created: new Date(project.now()).toISOString() }
    writer.write(`{"info":${JSON.stringify(info)},"licenses":[],"videos":[`)
    sequences.forEach((sequence, i) => {
      const { width, height } = sequence.frames[0]!
      const video = { id: i + 1, name: sequence.name, width, height, length: sequence.frames.length, file_names: sequence.frames.map((frame) => frame.relPath) }
      writer!.write(`${i ? ',' : ''}${JSON.stringify(video)}`)
    })
    writer.write(`],"categories":${JSON.stringify(categories.map((c, i) => ({ id: i + 1, name: c.name, supercategory: c.supercategory ?? '' })))},"annotations":[`)
    let tracks = 0
    let masks = 0
    for (const [v, sequence] of sequences.entries()) {
      if (options.signal?.aborted) throw new StudioError('cancelled', 'the export was cancelled; no file was written')
      const { width, height } = sequence.frames[0]!
      const { objects, frames } = sequenceObjects(snapshot, sequence, filter)
      // Per object, per frame: the RLEs of its masks there.
      const perFrame = objects.map(() => frames.map((): CocoRle[] => []))
      const crowd = objects.map(() => true)
      frames.forEach(({ masks: frameMasks }, f) => {
        for (const { object, mask } of frameMasks) {
          perFrame[object - 1]![f]!.push({ size: [height, width], counts: countsFromString(mask.counts, `annotation ${mask.id}`) })
          crowd[object - 1] = crowd[object - 1]! && mask.iscrowd
          masks++
        }
      })
      for (const object of objects) {
        const rles = perFrame[object.id - 1]!.map((parts) => (parts.length === 0 ? null : mergeRles(parts)))
        const track = {
          id: ++tracks,
          video_id: v + 1,
          category_id: categoryNumber.get(object.categoryId)!,
          ...(object.objectId !== null ? { object_id: object.objectId } : {}),
          width,
          height,
          segmentations: rles.map((rle) => (rle ? compressRle(rle) : null)),
          areas: rles.map((rle) => (rle ? rleArea(rle) : null)),
          bboxes: rles.map((rle) => (rle ? rleBbox(rle) : null)),
          iscrowd: crowd[object.id - 1] ? 1 : 0,
        }
        if (writer.write(`${tracks > 1 ? ',' : ''}${JSON.stringify(track)}`)) await writer.flush()
      }
      options.onProgress?.({ phase: 'sequences', done: v + 1, total: sequences.length })
    }
    writer.write(']}\n')
    snapshot.close()
    await writer.commit()
    return { path: outFile, images: sequences.reduce((sum, sequence) => sum + sequence.frames.length, 0), annotations: masks, warnings: warnings.toArray() }
  } catch (error) {
    await writer?.abort()
    throw error
  } finally {
    snapshot.close()
  }
}
