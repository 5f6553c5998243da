/**
 * COCO export, streamed: rows come from the store's export snapshot (a private read-only
 * connection in one read transaction: a consistent state while the studio keeps working) and are
 * written in ~1 MB chunks to a temporary file that is renamed into place at the end. Memory does
 * not grow with the project: no annotation array and no giant string are ever built.
 *
 * The format follows what COCO readers expect (docs/coco.md): ids from 1
 * for images, categories and annotations; size [height, width]; width/height after EXIF
 * orientation; area and bbox from the mask (stored with it); compressed RLE by default or
 * polygons (holes kept losslessly by the mask core); iscrowd as stored (0 for everything made
 * in the studio; imported crowd regions stay crowd); only accepted/edited masks by default.
 * A frame of a sequence also names its sequence, its 0-based position in frame order
 * (`frame_index`) and, when known, its time (`timestamp_ms`).
 */
import path from 'node:path'
import type { ExportReport } from '../../../../common/ipc/types'
import { countsFromString, decodeRle, maskToPolygons, type CocoRle } from '../../../../common/mask/index'
import { StudioError } from '../../../../common/ipc/result'
import type { AnnotationStatus, ExportSequence, Project } from '../../store/index'
import { CocoWriter, type CocoImageEntry } from './cocoWriter'
import { ReportLines, type ProgressListener } from '../report'

export interface CocoExportOptions {
  /** Default: accepted and edited (reviewed work). Add 'proposed' to export proposals. */
  readonly statuses?: readonly AnnotationStatus[]
  readonly segmentation?: 'rle' | 'polygons'
  /** Douglas-Peucker tolerance for polygons, in pixels (0: lossless). */
  readonly polygonTolerance?: number
  /** Only these categories (default: all). */
  readonly categoryIds?: readonly number[]
  /** Decode every RLE's runs and check them against size and area before writing (cheap; on by default). */
  readonly verify?: boolean
  readonly onProgress?: ProgressListener
  readonly signal?: AbortSignal
}

interface ExportedImage {
  readonly id: number
  readonly width: number
  readonly height: number
}

export async function exportCoco(project: Project, outFile: string, options: CocoExportOptions = {}): Promise<ExportReport> {
  const statuses = options.statuses ?? ['accepted', 'edited']
  const snapshot = project.openExportSnapshot()
  let writer: CocoWriter | null = null
  const warnings = new ReportLines()
  let annotationCount = 0
  try {
    const filter = { statuses, ...(options.categoryIds ? { categoryIds: options.categoryIds } : {}) }
    const categories = snapshot.categories(filter)
    const categoryIds = new Map(categories.map((category, i) => [category.id, i + 1]))
    const total = snapshot.countMasks(filter)

    writer = await CocoWriter.create(
      outFile,
      { info: { description: `Exported by PerSAM Studio from ${path.basename(project.dir)}`, date_created: new Date(project.now()).toISOString() }, licenses: true },
      categories.map((c, i) => ({ id: i + 1, name: c.name, supercategory: c.supercategory ?? '' })),
    )
    const frames = frameFields(snapshot.sequences())
    const images = new Map<number, ExportedImage>()
    for (const row of snapshot.images()) {
      const exported = { id: images.size + 1, width: row.width, height: row.height }
      images.set(row.id, exported)
      if (writer.image({ id: exported.id, file_name: row.relPath, width: row.width, height: row.height, ...frames.get(row.id) })) await writer.flush()
    }
    let seen = 0
    for (const { id, imageId, categoryId: projectCategoryId, counts, area, bbox, iscrowd, score } of snapshot.masks(filter)) {
      if (++seen % 10_000 === 0) {
        if (options.signal?.aborted) throw new StudioError('cancelled', 'the export was cancelled; no file was written')
        options.onProgress?.({ phase: 'write annotations', done: seen, total })
      }
      const categoryId = categoryIds.get(projectCategoryId)
      if (categoryId === undefined) continue
      const image = images.get(imageId)!
      const where = `annotation ${id}`
      const rle = options.verify === false ? null : verifiedRle(counts, image, area, where)
      let segmentation: string
      if (options.segmentation === 'polygons') {
        const polygons = maskToPolygons(decodeRle(rle ?? { size: [image.height, image.width], counts: countsFromString(counts, where) }), {
          tolerance: options.polygonTolerance ?? 0,
          measureIou: false,
        }).polygons
        if (polygons.length === 0) {
          warnings.add(where, 'empty mask: COCO polygons cannot express it; not exported')
          continue
        }
        segmentation = JSON.stringify(polygons)
      } else {
        segmentation = `{"size":[${image.height},${image.width}],"counts":${JSON.stringify(counts)}}`
      }
      const scoreField = score === null ? '' : `,"score":${score}`
      const full = writer.annotation(
        `{"id":${++annotationCount},"image_id":${image.id},"category_id":${categoryId},"segmentation":${segmentation},` +
          `"area":${area},"bbox":[${bbox[0]},${bbox[1]},${bbox[2]},${bbox[3]}],"iscrowd":${iscrowd ? 1 : 0}${scoreField}}`,
      )
      if (full) await writer.flush() // awaiting only per buffer, not per row
    }
    snapshot.close()
    await writer.commit()
    return { path: outFile, images: images.size, annotations: annotationCount, warnings: warnings.toArray() }
  } catch (error) {
    await writer?.abort()
    throw error
  } finally {
    snapshot.close()
  }
}

type FrameFields = Pick<CocoImageEntry, 'sequence' | 'frame_index' | 'timestamp_ms'>

/** The sequence fields of every frame image, by image id. */
function frameFields(sequences: readonly ExportSequence[]): Map<number, FrameFields> {
  const fields = new Map<number, FrameFields>()
  for (const sequence of sequences) {
    sequence.frames.forEach((frame, position) =>
      fields.set(frame.imageId, { sequence: sequence.name, frame_index: position, ...(frame.timestampMs !== null ? { timestamp_ms: frame.timestampMs } : {}) }),
    )
  }
  return fields
}

/** Decodes the runs and checks they fill [height, width] and sum to the stored area (a corrupt RLE never leaves the studio). */
function verifiedRle(counts: string, image: ExportedImage, area: number, where: string): CocoRle {
  const runs = countsFromString(counts, where)
  let total = 0
  let foreground = 0
  for (let i = 0; i < runs.length; i++) {
    total += runs[i]!
    if (i & 1) foreground += runs[i]!
  }
  if (total !== image.width * image.height || foreground !== area) {
    throw new StudioError('internal', `${where}: stored RLE covers ${total} pixels with area ${foreground}, expected ${image.width * image.height} and ${area}; export stopped`)
  }
  return { size: [image.height, image.width], counts: runs }
}
