/**
 * On-disk embedding cache, one file per (model id, image key), written atomically (temp file +
 * rename). Layout, little-endian:
 *
 *   0   magic "PSAMEMB\0"         8 bytes
 *   8   format version            u32 (EMBEDDING_FILE_VERSION)
 *   12  header size               u32, a multiple of 4; the float32 data starts here
 *   16  CRC-32 of bytes 20..end   u32 (rest of the header and all of the data)
 *   20  data byte length          u32
 *   24  rank                      u16, then u16 0
 *   28  dims                      u32 x rank
 *       originalWidth, originalHeight, resizedWidth, resizedHeight   u32 x 4
 *       model id, image key       u16 byte length + UTF-8 each, zero padding to 4
 *
 * A file that is truncated, fails its checksum, has another version or does not match the
 * requested key reads as invalid, so the caller recomputes and overwrites it.
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { crc32 } from 'node:zlib'
import { EMBEDDING_DIMS, EMBEDDING_LENGTH, type ImageEmbedding } from '../../../common/sam/port'
import { writeFileAtomic } from '../fs/atomicWrite'

export const EMBEDDING_FILE_MAGIC = 'PSAMEMB\0'
export const EMBEDDING_FILE_VERSION = 1
const CHECKSUMMED_FROM = 20

export type DiskReadResult =
  | { readonly status: 'hit'; readonly embedding: ImageEmbedding }
  | { readonly status: 'miss' }
  | { readonly status: 'invalid'; readonly reason: string }

const littleEndian = os.endianness() === 'LE'

function safeSegment(value: string): string {
  return /^[A-Za-z0-9._-]{1,96}$/.test(value) && value !== '.' && value !== '..'
    ? value
    : createHash('sha256').update(value).digest('hex').slice(0, 40)
}

export function embeddingFilePath(dir: string, modelId: string, imageKey: string): string {
  return path.join(dir, safeSegment(modelId), `${safeSegment(imageKey)}.samemb`)
}

function floatBytes(data: Float32Array): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  if (littleEndian) return bytes
  const swapped = new Uint8Array(bytes.length)
  for (let i = 0; i < bytes.length; i += 4) swapped.set([bytes[i + 3]!, bytes[i + 2]!, bytes[i + 1]!, bytes[i]!], i)
  return swapped
}

export function serializeEmbedding(embedding: ImageEmbedding): Uint8Array {
  const encoder = new TextEncoder()
  const modelId = encoder.encode(embedding.modelId)
  const imageKey = encoder.encode(embedding.imageKey)
  const dims = EMBEDDING_DIMS
  const unpadded = 28 + dims.length * 4 + 16 + 2 + modelId.length + 2 + imageKey.length
  const headerSize = Math.ceil(unpadded / 4) * 4
  const data = floatBytes(embedding.data)
  const file = new Uint8Array(headerSize + data.length)
  const view = new DataView(file.buffer)
  file.set(encoder.encode(EMBEDDING_FILE_MAGIC), 0)
  view.setUint32(8, EMBEDDING_FILE_VERSION, true)
  view.setUint32(12, headerSize, true)
  view.setUint32(20, data.length, true)
  view.setUint16(24, dims.length, true)
  let offset = 28
  for (const value of [...dims, embedding.geometry.originalWidth, embedding.geometry.originalHeight, embedding.geometry.resizedWidth, embedding.geometry.resizedHeight]) {
    view.setUint32(offset, value, true)
    offset += 4
  }
  for (const text of [modelId, imageKey]) {
    view.setUint16(offset, text.length, true)
    file.set(text, offset + 2)
    offset += 2 + text.length
  }
  file.set(data, headerSize)
  view.setUint32(16, crc32(file.subarray(CHECKSUMMED_FROM)), true)
  return file
}

/** Parses a cache file; returns a reason string instead of throwing for anything malformed. */
export function parseEmbedding(file: Uint8Array, expected: { modelId: string; imageKey: string }): ImageEmbedding | string {
  if (file.length < 28) return `truncated (${file.length} bytes)`
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength)
  if (new TextDecoder().decode(file.subarray(0, 8)) !== EMBEDDING_FILE_MAGIC) return 'not an embedding cache file (bad magic)'
  const version = view.getUint32(8, true)
  if (version !== EMBEDDING_FILE_VERSION) return `format version ${version}, expected ${EMBEDDING_FILE_VERSION}`
  const headerSize = view.getUint32(12, true)
  const dataLength = view.getUint32(20, true)
  if (headerSize % 4 !== 0 || headerSize + dataLength !== file.length) return `truncated or padded (${file.length} bytes, header says ${headerSize} + ${dataLength})`
  if (crc32(file.subarray(CHECKSUMMED_FROM)) !== view.getUint32(16, true)) return 'checksum mismatch'
  const rank = view.getUint16(24, true)
  const fields: number[] = []
  for (let i = 0; i < rank + 4; i++) fields.push(view.getUint32(28 + i * 4, true))
  const dims = fields.slice(0, rank)
  if (dims.join(',') !== EMBEDDING_DIMS.join(',') || dataLength !== EMBEDDING_LENGTH * 4) return `dims [${dims.join(',')}], expected [${EMBEDDING_DIMS.join(',')}]`
  const decoder = new TextDecoder()
  let offset = 28 + (rank + 4) * 4
  const texts: string[] = []
  for (let i = 0; i < 2; i++) {
    const length = view.getUint16(offset, true)
    texts.push(decoder.decode(file.subarray(offset + 2, offset + 2 + length)))
    offset += 2 + length
  }
  if (texts[0] !== expected.modelId || texts[1] !== expected.imageKey) return `holds ${texts[0]}/${texts[1]}, not ${expected.modelId}/${expected.imageKey}`
  const raw = file.subarray(headerSize)
  // A view when aligned and little-endian; otherwise an aligned copy (byte-swapped on big-endian hosts).
  const aligned = raw.byteOffset % 4 === 0 ? raw : raw.slice()
  const stored = new Float32Array(aligned.buffer, aligned.byteOffset, EMBEDDING_LENGTH)
  const data = littleEndian ? stored : new Float32Array(floatBytes(stored).buffer)
  const [originalWidth, originalHeight, resizedWidth, resizedHeight] = fields.slice(rank) as [number, number, number, number]
  return { modelId: texts[0]!, imageKey: texts[1]!, data, geometry: { originalWidth, originalHeight, resizedWidth, resizedHeight } }
}

export class EmbeddingDiskCache {
  constructor(readonly dir: string) {}

  async read(modelId: string, imageKey: string): Promise<DiskReadResult> {
    let bytes: Buffer
    try {
      bytes = await readFile(embeddingFilePath(this.dir, modelId, imageKey))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'miss' }
      return { status: 'invalid', reason: error instanceof Error ? error.message : String(error) }
    }
    const parsed = parseEmbedding(bytes, { modelId, imageKey })
    return typeof parsed === 'string' ? { status: 'invalid', reason: parsed } : { status: 'hit', embedding: parsed }
  }

  /** Written aside and renamed over the final name (fs/atomicWrite). */
  async write(embedding: ImageEmbedding): Promise<void> {
    const file = embeddingFilePath(this.dir, embedding.modelId, embedding.imageKey)
    try {
      await mkdir(path.dirname(file), { recursive: true })
      await writeFileAtomic(file, serializeEmbedding(embedding))
    } catch (error) {
      throw new Error(`cannot write embedding cache file ${file}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
}
