/**
 * The one COCO document writer (the project export and CLI `propagate`): streams
 * `{"info", ["licenses"], "categories", "images", "annotations"}` through the atomic text writer,
 * in that order, so nothing is held in memory and the target appears only when complete. Every
 * image entry carries positive integer width and height, as COCO readers require.
 */
import { StudioError } from '../../../../common/ipc/result'
import { AtomicTextWriter } from '../../fs/atomicTextWriter'

export interface CocoImageEntry {
  readonly id: number
  readonly file_name: string
  readonly width: number
  readonly height: number
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
    return this.append(`{"id":${entry.id},"file_name":${JSON.stringify(entry.file_name)},"width":${entry.width},"height":${entry.height}}`)
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
