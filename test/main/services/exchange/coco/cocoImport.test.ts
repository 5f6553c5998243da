import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { cocoRleToJson, compressRle, decodeRle, encodeRle, masksEqual, rasterizePolygons } from '../../../../../src/common/mask/index'
import { importCoco } from '../../../../../src/main/services/exchange/coco/cocoImport'
import { binaryOfStored, type Project } from '../../../../../src/main/services/store/index'
import { random } from '../../store/crash/workload'
import { addImageRows, blob, newEmptyProject } from './fixtures'

export function writeJson(project: Project, name: string, value: unknown): string {
  const file = path.join(project.dir, name)
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value))
  return file
}

describe('COCO import', () => {
  it('reads polygons, uncompressed and compressed RLE, keeps iscrowd, and matches images by path or unique file name', async () => {
    const project = newEmptyProject()
    addImageRows(project, 3) // shots/000.jpg 40x30, shots/001.jpg 33x47, shots/002.jpg 64x64
    const rng = random(5)
    const masks = [blob(40, 30, rng), blob(33, 47, rng)]
    const polygon = [2, 2, 20, 3, 18, 25, 4, 20]
    const file = writeJson(project, 'in.json', {
      info: { year: 2024 },
      images: [
        { id: 7, file_name: 'shots/000.jpg', width: 40, height: 30 },
        { id: 8, file_name: 'C:\\data\\001.jpg', width: 33, height: 47 },
        { id: 9, file_name: './shots/002.jpg', width: 64, height: 64 },
      ],
      categories: [{ id: 0, name: 'background' }, { id: 3, name: 'cup', supercategory: 'kitchen' }],
      annotations: [
        { id: 1, image_id: 7, category_id: 3, segmentation: cocoRleToJson(encodeRle(masks[0]!)), iscrowd: 1, area: 5, bbox: [0, 0, 1, 1] },
        { id: 2, image_id: 8, category_id: 3, segmentation: compressRle(encodeRle(masks[1]!)), score: 0.75 },
        { id: 3, image_id: 9, category_id: 0, segmentation: [polygon] },
      ],
    })
    const report = await importCoco(project, file)
    expect(report).toEqual({ imported: { images: 0, annotations: 3, categories: 2 }, skipped: [], duplicates: [] })
    const stored = [1, 2, 3].flatMap((imageId) => project.annotations.forImage(imageId))
    expect(masksEqual(binaryOfStored(stored[0]!.mask!), masks[0]!)).toBe(true)
    expect(stored[0]!.iscrowd).toBe(true)
    expect(stored[0]!.mask!.area).not.toBe(5) // area and bbox come from the mask, not from the file
    expect(masksEqual(binaryOfStored(stored[1]!.mask!), masks[1]!)).toBe(true)
    expect(stored[1]).toMatchObject({ iscrowd: false, score: 0.75, status: 'accepted', source: 'manual' })
    expect(masksEqual(binaryOfStored(stored[2]!.mask!), decodeRle(rasterizePolygons([polygon], 64, 64)))).toBe(true)
    expect(project.categories.byName('cup')?.supercategory).toBe('kitchen')
    expect(project.images.annotationCounts().accepted).toBe(3)
    project.close()
  })

  it('skips images it cannot match or whose size differs, reporting why and how many annotations went with them', async () => {
    const project = newEmptyProject()
    addImageRows(project, 2)
    const square = [1, 1, 9, 1, 9, 9, 1, 9]
    const file = writeJson(project, 'in.json', {
      images: [
        { id: 1, file_name: 'shots/000.jpg', width: 40, height: 30 },
        { id: 2, file_name: 'shots/001.jpg', width: 47, height: 33 },
        { id: 3, file_name: 'elsewhere/zzz.jpg', width: 10, height: 10 },
      ],
      categories: [{ id: 1, name: 'cup' }],
      annotations: [
        { image_id: 1, category_id: 1, segmentation: [square] },
        { image_id: 2, category_id: 1, segmentation: [square] },
        { image_id: 3, category_id: 1, segmentation: [square] },
        { image_id: 3, category_id: 1, segmentation: [square] },
      ],
    })
    const report = await importCoco(project, file)
    expect(report.imported).toEqual({ images: 0, annotations: 1, categories: 1 })
    expect(report.skipped).toEqual([
      { where: 'images (id 2, shots/001.jpg)', message: 'its size in the file is 47x33 but the image is 33x47 (width x height after EXIF orientation); its masks would not fit; 1 annotation skipped' },
      { where: 'images (id 3, elsewhere/zzz.jpg)', message: 'not in the project; 2 annotations skipped' },
    ])
    project.close()
  })

  it('adds images found under imagesDir, widening the images root when needed', async () => {
    const project = newEmptyProject()
    const dir = path.join(path.dirname(project.dir), 'coco-images')
    mkdirSync(path.join(dir, 'sub'), { recursive: true })
    await sharp(Buffer.alloc(12 * 8 * 3, 90), { raw: { width: 12, height: 8, channels: 3 } }).png().toFile(path.join(dir, 'sub', 'x.png'))
    const file = writeJson(project, 'in.json', {
      images: [{ id: 1, file_name: 'sub/x.png', width: 12, height: 8 }],
      categories: [{ id: 1, name: 'thing' }],
      annotations: [{ image_id: 1, category_id: 1, segmentation: { size: [8, 12], counts: [10, 20, 66] } }],
    })
    const report = await importCoco(project, file, { imagesDir: dir })
    expect(report.imported).toEqual({ images: 1, annotations: 1, categories: 1 })
    const [image] = [...project.images.iterate()]
    expect(project.absolutePath(image!.relPath)).toBe(path.join(dir, 'sub', 'x.png'))
    expect(project.annotations.forImage(image!.id)[0]!.mask!.area).toBe(20)
    project.close()
  })
})
