/**
 * Writes a large file as a stream of text pieces, encoded straight into a 4 MB buffer that is
 * written out when full, to the temporary name atomicWrite uses; `commit` fsyncs and renames it
 * into place (then fsyncs the folder), `abort` deletes it. Readers of the target path see the old
 * file or the complete new one, never a partial one.
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises'
import path from 'node:path'
import { syncDirectory, temporaryPathFor } from './atomicWrite'

const BUFFER_BYTES = 4 << 20

export class AtomicTextWriter {
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES)
  private used = 0
  private written = 0

  private constructor(
    readonly target: string,
    readonly temporary: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(target: string): Promise<AtomicTextWriter> {
    const temporary = temporaryPathFor(target)
    return new AtomicTextWriter(target, temporary, await open(temporary, 'wx'))
  }

  /** Queues text; true when the buffer should be flushed (call `flush` then, to let the event loop breathe). */
  write(text: string): boolean {
    // A UTF-16 code unit takes at most 3 UTF-8 bytes.
    if (text.length * 3 > BUFFER_BYTES - this.used) {
      if (this.used > 0) this.pendingFlushes.push(this.takeBuffer())
      if (text.length * 3 > BUFFER_BYTES) {
        this.pendingFlushes.push(Buffer.from(text, 'utf8'))
        return true
      }
    }
    this.used += this.buffer.write(text, this.used, 'utf8')
    return this.pendingFlushes.length > 0 || this.used > BUFFER_BYTES - (64 << 10)
  }

  async flush(): Promise<void> {
    if (this.used > 0) this.pendingFlushes.push(this.takeBuffer())
    for (const chunk of this.pendingFlushes.splice(0)) {
      await this.handle.write(chunk)
      this.written += chunk.length
    }
  }

  get bytesWritten(): number {
    return this.written
  }

  /** On failure the temporary is removed and the target left as it was. */
  async commit(): Promise<void> {
    try {
      await this.flush()
      await this.handle.sync()
      await this.handle.close()
      await rename(this.temporary, this.target)
    } catch (error) {
      await this.abort()
      throw error
    }
    await syncDirectory(path.dirname(this.target))
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => {})
    await rm(this.temporary, { force: true })
  }

  private readonly pendingFlushes: Buffer[] = []

  private takeBuffer(): Buffer {
    const chunk = Buffer.from(this.buffer.subarray(0, this.used))
    this.used = 0
    return chunk
  }
}
