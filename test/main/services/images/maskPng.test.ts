import { readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { createMask, masksEqual, paintDisc } from '../../../../src/common/mask/index'
import { MaskFileError, readLabelPng, readMaskImage, writeLabelPng, writeMaskPng } from '../../../../src/main/services/images/maskPng'
import { tempDir } from '../../../helpers/tempDir'
import { bmp24 } from './bmpWriter'

const disc = () => paintDisc(createMask(21, 13), { x: 8, y: 6 }, 4)

describe('mask files', () => {
  it('round-trips a binary mask through a PerSeg-coloured PNG, whose foreground is RGB (128,0,0)', async () => {
    const file = path.join(tempDir(), 'm.png')
    await writeMaskPng(file, disc())
    expect(masksEqual(await readMaskImage(file), disc())).toBe(true)
    const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true })
    const i = (6 * 21 + 8) * info.channels
    expect([data[i], data[i + 1], data[i + 2]]).toEqual([128, 0, 0])
    expect(readdirSync(path.dirname(file))).toEqual(['m.png'])
  })

  it('treats any non-zero colour as foreground: greyscale, RGB, palette, 16-bit, BMP; transparent pixels are background', async () => {
    const dir = tempDir()
    const values = Uint8Array.of(0, 1, 0, 200, 0, 0)
    await sharp(values, { raw: { width: 3, height: 2, channels: 1 } }).png().toFile(path.join(dir, 'grey.png'))
    await sharp(values, { raw: { width: 3, height: 2, channels: 1 } }).png({ palette: true, colours: 4 }).toFile(path.join(dir, 'palette.png'))
    await sharp(Uint16Array.of(0, 1, 0, 40000, 0, 0), { raw: { width: 3, height: 2, channels: 1 } }).toColourspace('grey16').png().toFile(path.join(dir, 'sixteen.png'))
    const rgba = Uint8Array.of(0, 0, 0, 255, 0, 0, 9, 255, 0, 0, 0, 0, 5, 0, 0, 255, 7, 7, 7, 0, 0, 0, 0, 255)
    await sharp(rgba, { raw: { width: 3, height: 2, channels: 4 } }).png().toFile(path.join(dir, 'rgba.png'))
    writeFileSync(path.join(dir, 'm.bmp'), bmp24(3, 2, Uint8Array.of(0, 0, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0)))
    for (const name of ['grey.png', 'palette.png', 'sixteen.png', 'm.bmp']) {
      expect(Array.from((await readMaskImage(path.join(dir, name))).data), name).toEqual([0, 1, 0, 1, 0, 0])
    }
    expect(Array.from((await readMaskImage(path.join(dir, 'rgba.png'))).data)).toEqual([0, 1, 0, 1, 0, 0])
    writeFileSync(path.join(dir, 'bad.png'), 'nope')
    await expect(readMaskImage(path.join(dir, 'bad.png'))).rejects.toThrow(MaskFileError)
    await expect(readMaskImage(path.join(dir, 'bad.png'))).rejects.toThrow(/bad\.png: not a readable mask image/)
  })

  it('writes label maps as 8-bit PNG up to 255 and 16-bit above, read back exactly', async () => {
    const dir = tempDir()
    const small = Uint16Array.of(0, 1, 2, 255, 7, 0)
    const large = Uint16Array.of(0, 1, 256, 65535, 300, 2)
    await writeLabelPng(path.join(dir, 's.png'), 3, 2, small)
    await writeLabelPng(path.join(dir, 'l.png'), 3, 2, large)
    expect((await sharp(path.join(dir, 's.png')).metadata()).depth).toBe('uchar')
    expect((await sharp(path.join(dir, 'l.png')).metadata()).depth).toBe('ushort')
    expect(await readLabelPng(path.join(dir, 's.png'))).toEqual({ width: 3, height: 2, labels: small })
    expect(await readLabelPng(path.join(dir, 'l.png'))).toEqual({ width: 3, height: 2, labels: large })
  })
})
