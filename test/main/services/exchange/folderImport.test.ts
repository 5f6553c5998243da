import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { describe, expect, it, vi } from 'vitest'
import { importImageFolder } from '../../../../src/main/services/exchange/folderImport'
import { Project } from '../../../../src/main/services/store/index'
import { tempDir } from '../../../helpers/tempDir'
import { bmp24 } from '../images/bmpWriter'

async function writeImage(file: string, width: number, height: number, seed: number, format: 'jpeg' | 'png' | 'webp' | 'tiff' = 'png'): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true })
  const pixels = Buffer.alloc(width * height * 3)
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * seed) % 251
  await sharp(pixels, { raw: { width, height, channels: 3 } }).toFormat(format).toFile(file)
}

async function sampleFolder(): Promise<{ base: string; images: string }> {
  const base = tempDir()
  const images = path.join(base, 'photos')
  await writeImage(path.join(images, 'a.png'), 8, 6, 3)
  await writeImage(path.join(images, 'sub', 'b.jpg'), 10, 4, 5, 'jpeg')
  await writeImage(path.join(images, 'sub', 'deeper', 'c.webp'), 7, 7, 7, 'webp')
  await writeImage(path.join(images, 'd.tiff'), 5, 9, 11, 'tiff')
  writeFileSync(path.join(images, 'e.bmp'), bmp24(3, 2, new Uint8Array(18).fill(9)))
  copyFileSync(path.join(images, 'a.png'), path.join(images, 'sub', 'copy-of-a.png'))
  writeFileSync(path.join(images, 'broken.png'), 'not really a png')
  writeFileSync(path.join(images, 'notes.txt'), 'ignored')
  await writeImage(path.join(images, '.thumbs', 'hidden.png'), 2, 2, 13)
  return { base, images }
}

describe('image folder import', () => {
  it('adds every readable image once, reports unreadable files and duplicates, and ignores the rest', async () => {
    const { base, images } = await sampleFolder()
    const project = Project.create(path.join(base, 'project'), { imagesRoot: images })
    const report = await importImageFolder(project, images)
    expect(report.imported).toEqual({ images: 5, annotations: 0, categories: 0 })
    expect(report.duplicates).toEqual([{ where: path.join(images, 'sub', 'copy-of-a.png'), message: 'same content as a.png; not added again' }])
    expect(report.skipped).toEqual([
      { where: images, message: '1 files without an image extension (jpg, png, webp, tiff, bmp) were ignored' },
      { where: path.join(images, 'broken.png'), message: expect.stringMatching(/^not a readable image \(.+\)$/) },
    ])
    const stored = [...project.images.iterate()].map((i) => [i.relPath, i.width, i.height, i.format])
    expect(stored).toEqual([
      ['a.png', 8, 6, 'png'],
      ['d.tiff', 5, 9, 'tiff'],
      ['e.bmp', 3, 2, 'bmp'],
      ['sub/b.jpg', 10, 4, 'jpeg'],
      ['sub/deeper/c.webp', 7, 7, 'webp'],
    ])

    // Importing again adds nothing and reports the copy again; a changed file is reported, not updated.
    await writeImage(path.join(images, 'a.png'), 8, 6, 17)
    const again = await importImageFolder(project, images)
    expect(again.imported.images).toBe(0)
    expect(again.skipped.map((line) => line.where)).toContain(path.join(images, 'a.png'))
    project.close()
  })

  it('widens the images root when a folder outside it is imported', async () => {
    const { base, images } = await sampleFolder()
    const other = path.join(base, 'more')
    await writeImage(path.join(other, 'z.png'), 4, 4, 19)
    const project = Project.create(path.join(base, 'project'), { imagesRoot: images })
    await importImageFolder(project, images)
    await importImageFolder(project, other)
    expect(project.imagesRoot).toBe(base)
    expect(project.images.byRelPath('more/z.png')).toBeDefined()
    expect(project.absolutePath(project.images.byRelPath('photos/a.png')!.relPath)).toBe(path.join(images, 'a.png'))
    project.close()
  })

  it('changes nothing when the write fails: no image rows, images root unchanged', async () => {
    const { base, images } = await sampleFolder()
    const project = Project.create(path.join(base, 'project'), { imagesRoot: path.join(images, 'sub') })
    const add = project.images.add.bind(project.images)
    vi.spyOn(project.images, 'add').mockImplementation((rows) => {
      add(rows)
      throw new Error('disk full (simulated)')
    })
    await expect(importImageFolder(project, images)).rejects.toThrow('disk full (simulated)')
    expect(project.images.count()).toBe(0)
    expect(project.imagesRoot).toBe(path.join(images, 'sub'))
    project.close()
  })

  it('skips the project folder when it lives inside the images folder', async () => {
    const { images } = await sampleFolder()
    const project = Project.create(path.join(images, 'my-project'), { imagesRoot: images })
    await writeImage(path.join(project.cacheDir, 'thumb.png'), 2, 2, 23)
    await importImageFolder(project, images)
    expect([...project.images.iterate()].some((i) => i.relPath.startsWith('my-project'))).toBe(false)
    project.close()
  })
})
