/**
 * What the store records about an image file without decoding its pixels: size after EXIF
 * orientation (what the user sees and what masks are stored at), format, and a content hash.
 *
 * Hash: SHA-256, streamed. It is what identifies a file when an images root moves (re-linking)
 * and what detects duplicates, so collisions must be out of the question; it comes with Node
 * (no dependency), and with the SHA extensions of current x86/ARM CPUs it runs at about
 * 1.4 GB/s here, faster than disks deliver files. A non-cryptographic xxhash would be faster
 * still, but would add a native or WASM dependency for no gain the user could notice.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open, readFile } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import { decodeBmp, isBmp, readBmpHeader } from './bmp'

export interface ImageProbe {
  /** Pixel size after applying EXIF orientation. */
  readonly width: number
  readonly height: number
  readonly format: string
  readonly byteSize: number
  /** SHA-256 of the file bytes, lower-case hex. */
  readonly contentHash: string
}

export interface ProbeOptions {
  /** Decode every pixel (catches truncated files; much slower than reading headers). */
  readonly decode?: boolean
}

/** File extensions the folder import accepts. */
export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff', '.bmp'])

export function hasImageExtension(file: string): boolean {
  return IMAGE_EXTENSIONS.has(path.extname(file).toLowerCase())
}

/** Streams the file through SHA-256. */
export async function hashFile(file: string): Promise<{ contentHash: string; byteSize: number }> {
  const hash = createHash('sha256')
  let byteSize = 0
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk)
    byteSize += chunk.length
  }
  return { contentHash: hash.digest('hex'), byteSize }
}

/** Reads an image's header (and, with `decode`, its pixels); throws an Error naming the file when it cannot be read. */
export async function probeImage(file: string, options: ProbeOptions = {}): Promise<ImageProbe> {
  try {
    const [size, hashed] = await Promise.all([readSize(file, options), hashFile(file)])
    return { ...size, ...hashed }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`${file}: not a readable image (${reason})`)
  }
}

async function readSize(file: string, options: ProbeOptions): Promise<{ width: number; height: number; format: string }> {
  const head = Buffer.alloc(64)
  const handle = await open(file, 'r')
  try {
    await handle.read(head, 0, head.length, 0)
  } finally {
    await handle.close()
  }
  if (isBmp(head)) {
    if (options.decode) {
      const { width, height } = decodeBmp(await readFile(file))
      return { width, height, format: 'bmp' }
    }
    const header = readBmpHeader(head)
    return { width: header.width, height: header.height, format: 'bmp' }
  }
  const image = sharp(file, { failOn: options.decode ? 'truncated' : 'none', limitInputPixels: false })
  const metadata = await image.metadata()
  if (options.decode) await image.raw().toBuffer()
  const { width, height } = metadata.autoOrient
  if (!(width > 0 && height > 0)) throw new Error('no pixel size in the header')
  return { width, height, format: metadata.format }
}
