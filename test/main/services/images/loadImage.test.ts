import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { DEFAULT_MAX_IMAGE_PIXELS, ImageLoadError, loadImage, loadImageResized, readOrientedSize } from '../../../../src/main/services/images/loadImage'
import { loadSamInput } from '../../../../src/main/services/images/samInput'
import { storedForOrientation, writeImage, type RawRgb } from '../../../helpers/samImages'
import { useTempDir } from '../../../helpers/tempDir'

const dir = useTempDir()
const QUADRANTS = [
  [230, 20, 20], // top-left red
  [20, 200, 20], // top-right green
  [20, 20, 230], // bottom-left blue
  [240, 240, 240], // bottom-right white
] as const

/** 64x40 (landscape, so a wrong rotation changes the size) with one colour per quadrant. */
function quadrants(width = 64, height = 40): RawRgb {
  const rgb = new Uint8Array(width * height * 3)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgb.set(QUADRANTS[(y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1)]!, (y * width + x) * 3)
  return { width, height, rgb }
}

function pixel(image: { width: number; rgb: Uint8Array }, x: number, y: number): number[] {
  return [...image.rgb.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3)]
}

async function expectError(promise: Promise<unknown>, pattern: RegExp): Promise<ImageLoadError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(ImageLoadError)
  expect((error as Error).message).toMatch(pattern)
  return error as ImageLoadError
}

describe('loadImage', () => {
  it('returns 8-bit RGB, row-major HWC, exactly for a PNG', async () => {
    const image = quadrants()
    const file = await writeImage(path.join(dir, 'quadrants.png'), image)
    const loaded = await loadImage(file)
    expect(loaded).toMatchObject({ width: 64, height: 40 })
    expect(Buffer.compare(Buffer.from(loaded.rgb), Buffer.from(image.rgb))).toBe(0)
  })

  for (const orientation of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`applies EXIF orientation ${orientation} to JPEGs (size and pixels after orientation)`, async () => {
      const shown = quadrants()
      const file = await writeImage(path.join(dir, `oriented-${orientation}.jpg`), storedForOrientation(shown, orientation), { format: 'jpeg', orientation })
      expect(await readOrientedSize(file)).toEqual({ width: 64, height: 40 })
      const loaded = await loadImage(file)
      expect(loaded).toMatchObject({ width: 64, height: 40 })
      const probes = [[8, 5], [56, 5], [8, 35], [56, 35]] as const
      probes.forEach(([x, y], quadrant) => {
        pixel(loaded, x, y).forEach((value, c) => expect(Math.abs(value - QUADRANTS[quadrant]![c]!)).toBeLessThan(24))
      })
    })
  }

  it('converts 16-bit, greyscale and alpha images to 8-bit RGB', async () => {
    const image = quadrants()
    const sixteen = path.join(dir, 'sixteen.png')
    await sharp(image.rgb, { raw: { width: 64, height: 40, channels: 3 } }).toColourspace('rgb16').png().toFile(sixteen)
    expect((await sharp(sixteen).metadata()).depth).toBe('ushort')
    expect(pixel(await loadImage(sixteen), 60, 38)).toEqual([240, 240, 240])

    const grey = path.join(dir, 'grey.png')
    await sharp(Buffer.alloc(30 * 20, 77), { raw: { width: 30, height: 20, channels: 1 } }).toColourspace('b-w').png().toFile(grey)
    expect((await sharp(grey).metadata()).channels).toBe(1)
    const greyLoaded = await loadImage(grey)
    expect(greyLoaded.rgb.length).toBe(30 * 20 * 3)
    expect(pixel(greyLoaded, 3, 3)).toEqual([77, 77, 77])

    const alpha = path.join(dir, 'alpha.png')
    const rgba = Buffer.alloc(10 * 10 * 4)
    for (let i = 0; i < 100; i++) rgba.set([10, 100, 200, i % 2 ? 0 : 255], i * 4)
    await sharp(rgba, { raw: { width: 10, height: 10, channels: 4 } }).png().toFile(alpha)
    const alphaLoaded = await loadImage(alpha)
    expect(alphaLoaded.rgb.length).toBe(300)
    expect(pixel(alphaLoaded, 1, 0)).toEqual([10, 100, 200]) // alpha dropped, colour kept (PIL convert('RGB'))
  })

  it('gives a clear error naming the file for unreadable, truncated and missing files', async () => {
    const garbage = path.join(dir, 'garbage.jpg')
    writeFileSync(garbage, Buffer.from('this is not an image at all'))
    await expectError(loadImage(garbage), new RegExp(`^${garbage}: cannot read image \\(.*unsupported image format`))

    const png = await sharp(Buffer.alloc(200 * 150 * 3, 90), { raw: { width: 200, height: 150, channels: 3 } }).png().toBuffer()
    const truncated = path.join(dir, 'truncated.png')
    writeFileSync(truncated, png.subarray(0, png.length >> 1))
    const error = await expectError(loadImage(truncated), /truncated\.png: cannot (read|decode) image/)
    expect(error.file).toBe(truncated)
    expect(error.message).not.toContain('\n')

    await expectError(loadImage(path.join(dir, 'missing.png')), /missing\.png: cannot read image/)
  })

  it('refuses images above the pixel cap from the header, before decoding', async () => {
    // A PNG that only claims to be 20000x10000 (200 MP): no pixel data to decode.
    const chunk = (type: string, data: Buffer) => {
      const out = Buffer.alloc(12 + data.length)
      out.writeUInt32BE(data.length, 0)
      out.write(type, 4, 'latin1')
      data.copy(out, 8)
      out.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'latin1'), data])), 8 + data.length)
      return out
    }
    const header = Buffer.alloc(13)
    header.writeUInt32BE(20000, 0)
    header.writeUInt32BE(10000, 4)
    header.set([8, 2], 8)
    const huge = path.join(dir, 'huge.png')
    writeFileSync(huge, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.alloc(0))), chunk('IEND', Buffer.alloc(0))]))
    expect(DEFAULT_MAX_IMAGE_PIXELS).toBe(150_000_000)
    await expectError(loadImage(huge), /huge\.png: image is 20000x10000 \(200\.0 megapixels\), above the 150\.0 megapixels limit/)

    const small = await writeImage(path.join(dir, 'small.png'), quadrants())
    await expectError(loadSamInput(small, { maxPixels: 2000 }), /small\.png: image is 64x40 \(0\.0 megapixels\), above/)
  })
})

describe('loadImageResized / loadSamInput', () => {
  it('resizes to SAM geometry with its rounding, orientation first', async () => {
    const shown = quadrants(1200, 800)
    const file = await writeImage(path.join(dir, 'large-6.jpg'), storedForOrientation(shown, 6), { format: 'jpeg', orientation: 6 })
    const input = await loadSamInput(file)
    expect(input.geometry).toEqual({ originalWidth: 1200, originalHeight: 800, resizedWidth: 1024, resizedHeight: 683 })
    expect(input.resized).toMatchObject({ width: 1024, height: 683 })
    pixel(input.resized, 100, 100).forEach((value, c) => expect(Math.abs(value - QUADRANTS[0][c]!)).toBeLessThan(24))
    pixel(input.resized, 900, 600).forEach((value, c) => expect(Math.abs(value - QUADRANTS[3][c]!)).toBeLessThan(24))
    const exact = await loadImageResized(file, { width: 30, height: 20 })
    expect(exact.rgb.length).toBe(30 * 20 * 3)
  })
})
