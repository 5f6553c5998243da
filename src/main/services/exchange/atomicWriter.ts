/**
 * Writes a large file as a stream of string pieces, in ~1 MB chunks, to a temporary name in the
 * target folder; `commit` fsyncs and renames it into place, `abort` deletes it. Readers of the
 * target path see the old file or the complete new one, never a partial one.
 */
import { randomBytes } from 'node:crypto'
import { open, rename, rm, type FileHandle } from 'node:fs/promises'
import path from 'node:path'

const CHUNK_CHARS = 1 << 20

export class AtomicTextWriter {
  private pieces: string[] = []
  private pending = 0
  private written = 0

  private constructor(
    readonly target: string,
    readonly temporary: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(target: string): Promise<AtomicTextWriter> {
    const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.tmp`)
    return new AtomicTextWriter(target, temporary, await open(temporary, 'wx'))
  }

  /** Queues text; writes when a chunk is full (await it to let the event loop breathe). */
  async write(text: string): Promise<void> {
    this.pieces.push(text)
    this.pending += text.length
    if (this.pending >= CHUNK_CHARS) await this.flush()
  }

  get bytesWritten(): number {
    return this.written
  }

  async commit(): Promise<void> {
    await this.flush()
    await this.handle.sync()
    await this.handle.close()
    await rename(this.temporary, this.target)
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => {})
    await rm(this.temporary, { force: true })
  }

  private async flush(): Promise<void> {
    if (this.pieces.length === 0) return
    const chunk = Buffer.from(this.pieces.join(''), 'utf8')
    this.pieces = []
    this.pending = 0
    await this.handle.write(chunk)
    this.written += chunk.length
  }
}
