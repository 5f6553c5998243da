/**
 * The one COCO document writer (the project export and CLI `propagate`): streams
 * `{"info", ["licenses"], "categories", "images", "annotations"}` through the atomic text writer,
 * in that order, so nothing is held in memory and the target appears only when complete. Every
 * image entry carries positive integer width and height, as COCO readers require; a frame of a
 * sequence also carries `sequence`, `frame_index` and, when known, `timestamp_ms`.
 */
import { StudioError } from '../../../../common/ipc/result'
import { AtomicTextWriter } from '../../fs/atomicTextWriter'

export interface CocoImageEntry {
  readonly id: number
  readonly file_name: string
  readonly width: number
  readonly height: number
  /** A frame of a sequence: the sequence's name, the frame's 0-based position and, when known, its time. */
  readonly sequence?: string
  readonly frame_index?: number
  readonly timestamp_ms?: number
}

export interface CocoCategoryEntry {
  readonly id: number
  readonly name: string
  readonly supercategory?: string
}

export interface CocoWriterOptions {
  readonly info: Readonly<Record<string, unknown>>
  /** Write an empty "licenses" array (the project export does; propagate's proposals do not). */
  readonly licenses?: boolean
}

type Section = 'images' | 'annotations' | 'closed'

/** The optional sequence fields as JSON members (empty for a still image); checked like width and height. */
function frameFields(entry: CocoImageEntry): string {
  let json = ''
  if (entry.sequence !== undefined) {
    if (typeof entry.sequence !== 'string' || entry.sequence === '') throw new StudioError('internal', `COCO image ${entry.file_name}: sequence is ${JSON.stringify(entry.sequence)}, expected a non-empty name`)
    json += `,"sequence":${JSON.stringify(entry.sequence)}`
  }
  if (entry.frame_index !== undefined) {
    if (!Number.isInteger(entry.frame_index) || entry.frame_index < 0) throw new StudioError('internal', `COCO image ${entry.file_name}: frame_index is ${String(entry.frame_index)}, expected a whole number from 0`)
    json += `,"frame_index":${entry.frame_index}`
  }
  if (entry.timestamp_ms !== undefined) {
    if (!Number.isFinite(entry.timestamp_ms) || entry.timestamp_ms < 0) throw new StudioError('internal', `COCO image ${entry.file_name}: timestamp_ms is ${String(entry.timestamp_ms)}, expected a time from 0`)
    json += `,"timestamp_ms":${entry.timestamp_ms}`
  }
  return json
}

export class CocoWriter {
  private section: Section = 'images'
  private separator = ''

  private constructor(private readonly writer: AtomicTextWriter) {}

  /** Opens the temporary file and writes the header and the categories. */
  static async create(target: string, options: CocoWriterOptions, categories: readonly CocoCategoryEntry[]): Promise<CocoWriter> {
    const writer = await AtomicTextWriter.create(target)
    const licenses = options.licenses ? ',"licenses":[]' : ''
    writer.write(`{"info":${JSON.stringify(options.info)}${licenses},"categories":[${categories.map((c) => JSON.stringify(c)).join(',')}],"images":[`)
    return new CocoWriter(writer)
  }

  get target(): string {
    return this.writer.target
  }

  /** Adds an image; true when the caller should `await flush()` (once per buffer, not per row). */
  image(entry: CocoImageEntry): boolean {
    this.expect('images')
    for (const field of ['width', 'height'] as const) {
      const value = entry[field]
      if (!Number.isInteger(value) || value <= 0) throw new StudioError('internal', `COCO image ${entry.file_name}: ${field} is ${String(value)}, expected a positive whole number`)
    }
    return this.append(`{"id":${entry.id},"file_name":${JSON.stringify(entry.file_name)},"width":${entry.width},"height":${entry.height}${frameFields(entry)}}`)
  }

  /** Adds an annotation, as an object or as its JSON text (the export's hot path builds the text). */
  annotation(annotation: string | object): boolean {
    if (this.section === 'images') {
      this.writer.write('],"annotations":[')
      this.section = 'annotations'
      this.separator = ''
    }
    this.expect('annotations')
    return this.append(typeof annotation === 'string' ? annotation : JSON.stringify(annotation))
  }

  flush(): Promise<void> {
    return this.writer.flush()
  }

  /** Closes the document and renames it into place. */
  async commit(): Promise<void> {
    if (this.section === 'images') this.writer.write('],"annotations":[')
    this.expect(this.section === 'closed' ? 'annotations' : this.section)
    this.section = 'closed'
    this.writer.write(']}\n')
    await this.writer.commit()
  }

  abort(): Promise<void> {
    this.section = 'closed'
    return this.writer.abort()
  }

  private append(json: string): boolean {
    const full = this.writer.write(`${this.separator}${json}`)
    this.separator = ','
    return full
  }

  private expect(section: Section): void {
    if (this.section !== section) throw new StudioError('internal', `COCO writer: ${section} written after the ${this.section} section`)
  }
}
