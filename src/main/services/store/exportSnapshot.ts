/**
 * What exporters read: a private read-only connection holding one read transaction, so an export
 * sees one consistent state of the project while the studio keeps writing (WAL). Images and
 * masks are iterators over the rows, never arrays, so memory stays flat at a million
 * annotations; only the (few) categories come back as an array.
 */
import { openConnection, type SqliteDatabase } from './connection'
import type { AnnotationStatus, Bbox } from './types'

export interface ExportCategory {
  readonly id: number
  readonly name: string
  readonly supercategory: string | null
}

export interface ExportImage {
  readonly id: number
  readonly relPath: string
  /** After EXIF orientation, as masks are stored. */
  readonly width: number
  readonly height: number
}

/** An annotation that has a mask (absent markers are never exported as masks). */
export interface ExportMask {
  readonly id: number
  readonly imageId: number
  readonly categoryId: number
  /** Compressed COCO RLE over the image's full size. */
  readonly counts: string
  readonly area: number
  readonly bbox: Bbox
  readonly iscrowd: boolean
  readonly score: number | null
}

/** A mask of a sequence frame, with the object it shows when the sequence's tracking named one. */
export interface ExportFrameMask extends ExportMask {
  /** `method.objectId` of the annotation; null when absent (the object is then the category). */
  readonly objectId: string | null
}

/** A frame of a sequence, in frame order, with its image's path and size. */
export interface ExportFrame {
  readonly imageId: number
  /** The stored frame index (distinct, increasing; not necessarily contiguous). */
  readonly frameIndex: number
  readonly timestampMs: number | null
  readonly relPath: string
  readonly width: number
  readonly height: number
}

export interface ExportSequence {
  readonly id: number
  readonly name: string
  readonly fps: number | null
  readonly frames: readonly ExportFrame[]
}

export interface ExportFilter {
  readonly statuses: readonly AnnotationStatus[]
  /** Only these categories; all when absent. */
  readonly categoryIds?: readonly number[]
}

type MaskTuple = [number, number, number, string, number, number, number, number, number, number, number | null]

export class ExportSnapshot {
  private constructor(private readonly db: SqliteDatabase) {}

  /** Opens `file` read-only and pins its current state (the first read starts the snapshot). */
  static open(file: string): ExportSnapshot {
    const db = openConnection(file, { readonly: true })
    try {
      db.exec('BEGIN')
      db.prepare('SELECT count(*) FROM categories').get()
      return new ExportSnapshot(db)
    } catch (error) {
      db.close()
      throw error
    }
  }

  /** Categories in id order. */
  categories(filter: Pick<ExportFilter, 'categoryIds'> = {}): ExportCategory[] {
    const rows = this.db.prepare('SELECT id, name, supercategory FROM categories ORDER BY id').all() as ExportCategory[]
    if (!filter.categoryIds) return rows
    const wanted = new Set(filter.categoryIds)
    return rows.filter((category) => wanted.has(category.id))
  }

  /** Every image, in id order. */
  *images(): Generator<ExportImage> {
    for (const [id, relPath, width, height] of this.db.prepare('SELECT id, rel_path, width, height FROM images ORDER BY id').raw(true).iterate() as Iterable<
      [number, string, number, number]
    >) {
      yield { id, relPath, width, height }
    }
  }

  /** How many annotations `masks(filter)` yields. */
  countMasks(filter: ExportFilter): number {
    const [where, params] = maskWhere(filter)
    return this.db.prepare(`SELECT count(*) FROM annotations WHERE ${where}`).pluck().get(...params) as number
  }

  /** The annotations with a mask matching `filter`, in id order. */
  *masks(filter: ExportFilter): Generator<ExportMask> {
    const [where, params] = maskWhere(filter)
    // Raw rows (arrays) cost a fraction of better-sqlite3's row objects at a million rows.
    const rows = this.db
      .prepare(`SELECT id, image_id, category_id, rle, area, bbox_x, bbox_y, bbox_w, bbox_h, iscrowd, score FROM annotations WHERE ${where} ORDER BY id`)
      .raw(true)
      .iterate(...params) as Iterable<MaskTuple>
    for (const [id, imageId, categoryId, counts, area, x, y, w, h, iscrowd, score] of rows) {
      yield { id, imageId, categoryId, counts, area, bbox: [x, y, w, h], iscrowd: iscrowd === 1, score }
    }
  }

  /** Every frame sequence in name order, with its frames in frame order (a sequence holds few enough frames to list). */
  sequences(): ExportSequence[] {
    const sequences = this.db.prepare('SELECT id, name, fps FROM sequences ORDER BY name').all() as { id: number; name: string; fps: number | null }[]
    const frames = this.db.prepare(
      'SELECT f.image_id AS imageId, f.frame_index AS frameIndex, f.timestamp_ms AS timestampMs, i.rel_path AS relPath, i.width, i.height FROM sequence_frames f JOIN images i ON i.id = f.image_id WHERE f.sequence_id = ? ORDER BY f.frame_index',
    )
    return sequences.map((sequence) => ({ ...sequence, frames: frames.all(sequence.id) as ExportFrame[] }))
  }

  /** The masks matching `filter` on one image, in id order, with their object ids. */
  frameMasks(imageId: number, filter: ExportFilter): ExportFrameMask[] {
    const [where, params] = maskWhere(filter)
    const rows = this.db
      .prepare(
        `SELECT id, image_id, category_id, rle, area, bbox_x, bbox_y, bbox_w, bbox_h, iscrowd, score,
          CASE WHEN json_valid(method) THEN json_extract(method, '$.objectId') END FROM annotations WHERE image_id = ? AND ${where} ORDER BY id`,
      )
      .raw(true)
      .all(imageId, ...params) as [...MaskTuple, string | number | null][]
    return rows.map(([id, rowImageId, categoryId, counts, area, x, y, w, h, iscrowd, score, objectId]) => ({
      id,
      imageId: rowImageId,
      categoryId,
      counts,
      area,
      bbox: [x, y, w, h],
      iscrowd: iscrowd === 1,
      score,
      objectId: objectId === null || objectId === undefined ? null : String(objectId),
    }))
  }

  /** Ends the read transaction and closes the connection; safe to call twice. */
  close(): void {
    if (!this.db.open) return
    if (this.db.inTransaction) this.db.exec('COMMIT')
    this.db.close()
  }
}

function maskWhere(filter: ExportFilter): [string, string[]] {
  const statuses = 'status IN (SELECT value FROM json_each(?)) AND rle IS NOT NULL'
  if (!filter.categoryIds) return [statuses, [JSON.stringify(filter.statuses)]]
  return [`${statuses} AND category_id IN (SELECT value FROM json_each(?))`, [JSON.stringify(filter.statuses), JSON.stringify(filter.categoryIds)]]
}
