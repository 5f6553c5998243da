import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { loadImage, readOrientedSize } from '../../../../src/main/services/images/loadImage'
import { MediaCache } from '../../../../src/main/services/media/mediaCache'

/** A 24-bit bottom-up BMP: left half red, right half blue. */
function bmp(width: number, height: number): Buffer {
  const stride = Math.ceil((width * 3) / 4) * 4
  const buffer = Buffer.alloc(54 + stride * height)
  buffer.write('BM', 0, 'latin1')
  buffer.writeUInt32LE(buffer.length, 2)
  buffer.writeUInt32LE(54, 10)
  buffer.writeUInt32LE(40, 14)
  buffer.writeInt32LE(width, 18)
  buffer.writeInt32LE(height, 22)
  buffer.writeUInt16LE(1, 26)
  buffer.writeUInt16LE(24, 28)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = 54 + y * stride + x * 3
      const red = x < width / 2
      buffer[o] = red ? 0 : 255 // B
      buffer[o + 2] = red ? 255 : 0 // R
    }
  }
  return buffer
}

describe('BMP files go through the same image paths as other formats', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bmp-'))
  const file = path.join(dir, 'photo.bmp')
  writeFileSync(file, bmp(31, 20))

  it('loads as RGB for the SAM runtime, with its size from the header', async () => {
    expect(await readOrientedSize(file)).toEqual({ width: 31, height: 20 })
    const image = await loadImage(file)
    expect([image.width, image.height]).toEqual([31, 20])
    expect(Array.from(image.rgb.subarray(0, 3))).toEqual([255, 0, 0])
    expect(Array.from(image.rgb.subarray(30 * 3, 31 * 3))).toEqual([0, 0, 255])
  })

  it('gets a JPEG thumbnail for the image list', async () => {
    const thumb = await new MediaCache(dir).file(file, 'a'.repeat(64), 'thumb')
    const meta = await sharp(thumb).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 31, 20])
  })
})
