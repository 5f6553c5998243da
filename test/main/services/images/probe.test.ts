import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { decodeBmp } from '../../../../src/main/services/images/bmp'
import { hasImageExtension, hashFile, probeImage } from '../../../../src/main/services/images/probe'
import { tempDir } from '../../../helpers/tempDir'
import { bmp24, bmp32Bitfields, bmp8TopDown } from './bmpWriter'

const gradient = (width: number, height: number): Uint8Array => {
  const rgb = new Uint8Array(width * height * 3)
  for (let i = 0; i < width * height; i++) rgb.set([(i * 7) % 256, (i * 13) % 256, (i * 29) % 256], i * 3)
  return rgb
}

describe('probeImage', () => {
  it('reports width and height after EXIF orientation, the format, the byte size and the SHA-256', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'rotated.jpg')
    // Stored 40 wide x 20 high with orientation 6 (rotate 90 degrees): displayed 20 x 40.
    await sharp(Buffer.from(gradient(40, 20)), { raw: { width: 40, height: 20, channels: 3 } }).jpeg().withMetadata({ orientation: 6 }).toFile(file)
    const probe = await probeImage(file)
    const bytes = readFileSync(file)
    expect(probe).toEqual({ width: 20, height: 40, format: 'jpeg', byteSize: bytes.length, contentHash: createHash('sha256').update(bytes).digest('hex') })
  })

  it('reads png, webp and tiff headers', async () => {
    const dir = tempDir()
    const raw = { raw: { width: 9, height: 5, channels: 3 as const } }
    const pixels = Buffer.from(gradient(9, 5))
    for (const format of ['png', 'webp', 'tiff'] as const) {
      const file = path.join(dir, `a.${format}`)
      await sharp(pixels, raw).toFormat(format).toFile(file)
      expect(await probeImage(file)).toMatchObject({ width: 9, height: 5, format })
    }
  })

  it('reads and decodes BMP (which sharp cannot) in 24-bit, 8-bit palette and 32-bit bitfield forms', async () => {
    const dir = tempDir()
    const rgb = gradient(5, 3)
    const files = {
      bottomUp24: bmp24(5, 3, rgb),
      bitfields32: bmp32Bitfields(5, 3, rgb),
      palette8: bmp8TopDown(3, 2, Uint8Array.of(0, 1, 2, 2, 1, 0), [[255, 0, 0], [0, 255, 0], [0, 0, 255]]),
    }
    expect(decodeBmp(files.bottomUp24)).toEqual({ width: 5, height: 3, rgb })
    expect(decodeBmp(files.bitfields32)).toEqual({ width: 5, height: 3, rgb })
    expect(Array.from(decodeBmp(files.palette8).rgb)).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 255, 0, 255, 0, 255, 0, 0])
    writeFileSync(path.join(dir, 'a.bmp'), files.bottomUp24)
    expect(await probeImage(path.join(dir, 'a.bmp'), { decode: true })).toMatchObject({ width: 5, height: 3, format: 'bmp' })
    writeFileSync(path.join(dir, 'cut.bmp'), files.bottomUp24.subarray(0, 70))
    await expect(probeImage(path.join(dir, 'cut.bmp'), { decode: true })).rejects.toThrow(/cut\.bmp: not a readable image \(BMP pixel data is truncated\)/)
  })

  it('names the file when it is not an image, and with decode catches a truncated JPEG that the header alone hides', async () => {
    const dir = tempDir()
    writeFileSync(path.join(dir, 'notes.jpg'), 'just text')
    await expect(probeImage(path.join(dir, 'notes.jpg'))).rejects.toThrow(/notes\.jpg: not a readable image/)
    const full = await sharp(Buffer.from(gradient(64, 64)), { raw: { width: 64, height: 64, channels: 3 } }).jpeg().toBuffer()
    writeFileSync(path.join(dir, 'cut.jpg'), full.subarray(0, Math.floor(full.length / 2)))
    expect(await probeImage(path.join(dir, 'cut.jpg'))).toMatchObject({ width: 64, height: 64 })
    await expect(probeImage(path.join(dir, 'cut.jpg'), { decode: true })).rejects.toThrow(/cut\.jpg: not a readable image/)
  })

  it('hashes large files in chunks to the same digest as hashing them whole', async () => {
    const file = path.join(tempDir(), 'big.bin')
    const bytes = Buffer.alloc(3 * (1 << 20) + 17, 5)
    writeFileSync(file, bytes)
    expect(await hashFile(file)).toEqual({ contentHash: createHash('sha256').update(bytes).digest('hex'), byteSize: bytes.length })
    expect(['a.JPG', 'b.jpeg', 'c.tif', 'd.BMP', 'e.webp'].every(hasImageExtension)).toBe(true)
    expect(['a.gif', 'b.txt', 'png'].some(hasImageExtension)).toBe(false)
  })
})
