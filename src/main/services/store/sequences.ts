/**
 * Frame sequences: an ordered set of the project's images with optional timestamps. Frames are
 * ordinary images (masks, review and exports need nothing new); a sequence adds their order, so
 * tracking can follow an object from frame to frame and the review can go in frame order.
 */
import type { SequenceInfo, SequenceSource } from '../../../common/ipc/dto/sequence'
import { statement, type SqliteDatabase } from './connection'
import { conflict, invalidInput, notFound } from './errors'

export type { SequenceSource }

export interface NewSequence {
  readonly name: string
  readonly source: SequenceSource
  /** The video file or frame folder it came from, for the user's information. */
  readonly sourcePath?: string | null
  /** Frames per second of the stored frames (after any sampling), when known. */
  readonly fps?: number | null
}

export interface NewSequenceFrame {
  readonly imageId: number
  readonly frameIndex: number
  readonly timestampMs?: number | null
}

/** A stored sequence is what the renderer is given (one shape, declared with the contract). */
export type SequenceRecord = SequenceInfo

export interface SequenceFrame {
  readonly sequenceId: number
  readonly frameIndex: number
  readonly imageId: number
  readonly timestampMs: number | null
}

interface SequenceRow {
  id: number
  name: string
  source: SequenceSource
  source_path: string | null
  fps: number | null
  created_at: number
  frame_count: number
}

interface FrameRow {
  sequence_id: number
  frame_index: number
  image_id: number
  timestamp_ms: number | null
}

const SEQUENCE_SELECT = 'SELECT s.*, (SELECT count(*) FROM sequence_frames f WHERE f.sequence_id = s.id) AS frame_count FROM sequences s'

const toSequence = (row: SequenceRow): SequenceRecord => ({
  id: row.id,
  name: row.name,
  source: row.source,
  sourcePath: row.source_path,
  fps: row.fps,
  frameCount: row.frame_count,
  createdAt: row.created_at,
})

const toFrame = (row: FrameRow): SequenceFrame => ({ sequenceId: row.sequence_id, frameIndex: row.frame_index, imageId: row.image_id, timestampMs: row.timestamp_ms })

export class SequenceRepository {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number,
  ) {}

  /** Creates a sequence with its frames in one transaction; frame indices must be distinct, and each image may belong to one sequence only. */
  create(sequence: NewSequence, frames: readonly NewSequenceFrame[]): SequenceRecord {
    const name = sequence.name.trim()
    if (name === '') throw invalidInput('a sequence needs a name')
    if (sequence.fps != null && !(Number.isFinite(sequence.fps) && sequence.fps > 0)) throw invalidInput(`sequence "${name}": fps must be a positive number, got ${sequence.fps}`)
    return this.db.transaction(() => {
      if (statement(this.db, 'SELECT 1 FROM sequences WHERE name = ?').get(name)) throw conflict(`a sequence named "${name}" already exists`)
      const { id } = statement(this.db, 'INSERT INTO sequences(name, source, source_path, fps, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id').get(
        name,
        sequence.source,
        sequence.sourcePath ?? null,
        sequence.fps ?? null,
        this.now(),
      ) as { id: number }
      this.addFrames(id, frames)
      return this.require(id)
    })()
  }

  /** Appends frames to a sequence (one transaction). */
  addFrames(sequenceId: number, frames: readonly NewSequenceFrame[]): void {
    const insert = statement(this.db, 'INSERT INTO sequence_frames(sequence_id, frame_index, image_id, timestamp_ms) VALUES (?, ?, ?, ?)')
    const taken = statement(this.db, 'SELECT sequence_id, frame_index FROM sequence_frames WHERE image_id = ? OR (sequence_id = ? AND frame_index = ?)')
    this.db.transaction(() => {
      this.require(sequenceId)
      for (const frame of frames) {
        if (!(Number.isInteger(frame.frameIndex) && frame.frameIndex >= 0)) throw invalidInput(`sequence ${sequenceId}: frame index must be a non-negative integer, got ${frame.frameIndex}`)
        if (frame.timestampMs != null && !(Number.isFinite(frame.timestampMs) && frame.timestampMs >= 0)) {
          throw invalidInput(`sequence ${sequenceId}, frame ${frame.frameIndex}: timestamp must be a non-negative number of ms, got ${frame.timestampMs}`)
        }
        if (!statement(this.db, 'SELECT 1 FROM images WHERE id = ?').get(frame.imageId)) throw notFound(`image ${frame.imageId}`)
        const clash = taken.get(frame.imageId, sequenceId, frame.frameIndex) as { sequence_id: number; frame_index: number } | undefined
        if (clash) throw conflict(`image ${frame.imageId} or frame ${frame.frameIndex} is already frame ${clash.frame_index} of sequence ${clash.sequence_id}`)
        insert.run(sequenceId, frame.frameIndex, frame.imageId, frame.timestampMs ?? null)
      }
    })()
  }

  list(): SequenceRecord[] {
    return (statement(this.db, `${SEQUENCE_SELECT} ORDER BY s.name`).all() as SequenceRow[]).map(toSequence)
  }

  get(id: number): SequenceRecord | undefined {
    const row = statement(this.db, `${SEQUENCE_SELECT} WHERE s.id = ?`).get(id) as SequenceRow | undefined
    return row ? toSequence(row) : undefined
  }

  require(id: number): SequenceRecord {
    const sequence = this.get(id)
    if (!sequence) throw notFound(`sequence ${id}`)
    return sequence
  }

  byName(name: string): SequenceRecord | undefined {
    const row = statement(this.db, `${SEQUENCE_SELECT} WHERE s.name = ?`).get(name.trim()) as SequenceRow | undefined
    return row ? toSequence(row) : undefined
  }

  /** The frames of a sequence in frame order. */
  frames(sequenceId: number): SequenceFrame[] {
    this.require(sequenceId)
    return (statement(this.db, 'SELECT * FROM sequence_frames WHERE sequence_id = ? ORDER BY frame_index').all(sequenceId) as FrameRow[]).map(toFrame)
  }

  /** Which sequence an image is a frame of, if any. */
  frameOfImage(imageId: number): SequenceFrame | undefined {
    const row = statement(this.db, 'SELECT * FROM sequence_frames WHERE image_id = ?').get(imageId) as FrameRow | undefined
    return row ? toFrame(row) : undefined
  }

  /** Removes the sequence; its frames stay in the project as plain images. */
  remove(id: number): void {
    if (statement(this.db, 'DELETE FROM sequences WHERE id = ?').run(id).changes === 0) throw notFound(`sequence ${id}`)
  }
}
