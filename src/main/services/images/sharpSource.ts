/**
 * A sharp pipeline for any image file the studio accepts. libvips here cannot read BMP, so BMP
 * files are decoded by our own decoder and handed to sharp as raw RGB; every other format goes
 * to sharp by path.
 */
import { open, readFile } from 'node:fs/promises'
import sharp, { type Sharp, type SharpOptions } from 'sharp'
import { decodeBmp, isBmp, readBmpHeader } from './bmp'

async function readHead(file: string, length: number): Promise<Uint8Array> {
  const handle = await open(file, 'r')
  try {
    const buffer = new Uint8Array(length)
    const { bytesRead } = await handle.read(buffer, 0, length, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

export async function sharpSource(file: string, options: SharpOptions = {}): Promise<Sharp> {
  const head = await readHead(file, 2)
  if (!isBmp(head)) return sharp(file, options)
  const { width, height, rgb } = decodeBmp(await readFile(file))
  return sharp(rgb, { ...options, raw: { width, height, channels: 3 } })
}

/** The pixel size from the header (BMP) or sharp's metadata, with the EXIF orientation. */
export async function headerSize(file: string): Promise<{ width: number | undefined; height: number | undefined; orientation: number; format: string | undefined }> {
  const head = await readHead(file, 64)
  if (isBmp(head)) {
    const header = readBmpHeader(head)
    return { width: header.width, height: header.height, orientation: 1, format: 'bmp' }
  }
  const metadata = await sharp(file, { limitInputPixels: false }).metadata()
  return { width: metadata.width, height: metadata.height, orientation: metadata.orientation ?? 1, format: metadata.format }
}
