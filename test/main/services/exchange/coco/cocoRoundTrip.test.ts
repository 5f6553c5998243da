import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodeRle, decompressRle, masksEqual, rasterizePolygons, rleArea, rleBbox, maskArea, maskBbox } from '../../../../../src/common/mask/index'
import { exportCoco } from '../../../../../src/main/services/exchange/coco/cocoExport'
import { importCoco } from '../../../../../src/main/services/exchange/coco/cocoImport'
import { binaryOfStored, type Project } from '../../../../../src/main/services/store/index'
import { addImageRows, buildProject, newEmptyProject } from './fixtures'

interface CocoFile {
  images: { id: number; file_name: string; width: number; height: number }[]
  categories: { id: number; name: string }[]
  annotations: { id: number; image_id: number; category_id: number; segmentation: unknown; area: number; bbox: number[]; iscrowd: number }[]
}

/** Every mask of the project keyed by image path and category name, for comparing projects. */
function masksByImageAndCategory(project: Project): string[] {
  const out: string[] = []
  for (const image of project.images.iterate()) {
    for (const annotation of project.annotations.forImage(image.id)) {
      const category = project.categories.get(annotation.categoryId)!.name
      const mask = binaryOfStored(annotation.mask!)
      out.push(`${image.relPath} ${category} ${annotation.iscrowd} ${Buffer.from(mask.data).toString('base64')}`)
    }
  }
  return out.sort()
}

describe('COCO export', () => {
  it('writes ids from 1, size [h, w], area and bbox of the mask, iscrowd 0, reviewed masks only by default, atomically', async () => {
    const { project, masks } = buildProject(11)
    const out = path.join(project.dir, 'export.json')
    const report = await exportCoco(project, out)
    const coco = JSON.parse(readFileSync(out, 'utf8')) as CocoFile
    expect(readdirSync(project.dir).filter((name) => name.includes('.tmp'))).toEqual([])

    const reviewed = [...masks.keys()].filter((id) => ['accepted', 'edited'].includes(project.annotations.get(id)!.status))
    expect(report).toMatchObject({ path: out, images: 6, annotations: reviewed.length, warnings: [] })
    expect(coco.images.map((i) => i.id)).toEqual([1, 2, 3, 4, 5, 6])
    expect(coco.categories).toEqual([
      { id: 1, name: 'mug', supercategory: '' },
      { id: 2, name: 'cat', supercategory: '' },
      { id: 3, name: 'teapot', supercategory: '' },
    ])
    expect(coco.annotations.map((a) => a.id)).toEqual(reviewed.map((_, i) => i + 1))
    coco.annotations.forEach((exported, i) => {
      const source = masks.get(reviewed[i]!)!
      const image = coco.images[exported.image_id - 1]!
      const segmentation = exported.segmentation as { size: [number, number]; counts: string }
      expect(segmentation.size).toEqual([image.height, image.width])
      const rle = decompressRle(segmentation)
      expect(masksEqual(decodeRle(rle), source)).toBe(true)
      expect(exported.area).toBe(maskArea(source))
      expect(exported.bbox).toEqual(maskBbox(source))
      expect([rleArea(rle), rleBbox(rle)]).toEqual([exported.area, exported.bbox])
      expect(exported.iscrowd).toBe(0)
    })
    const withProposals = await exportCoco(project, out, { statuses: ['accepted', 'edited', 'proposed'] })
    expect(withProposals.annotations).toBeGreaterThan(reviewed.length)
    project.close()
  })

  it('writes lossless polygons on request (holes kept), never with fewer than 3 points', async () => {
    const { project, masks } = buildProject(12)
    const out = path.join(project.dir, 'polygons.json')
    await exportCoco(project, out, { segmentation: 'polygons', statuses: ['accepted', 'edited', 'proposed', 'rejected'] })
    const coco = JSON.parse(readFileSync(out, 'utf8')) as CocoFile
    const sources = [...masks.values()].filter((m) => maskArea(m) > 0)
    expect(coco.annotations).toHaveLength(sources.length)
    coco.annotations.forEach((exported, i) => {
      const polygons = exported.segmentation as number[][]
      expect(polygons.every((p) => p.length >= 6 && p.length % 2 === 0)).toBe(true)
      const image = coco.images[exported.image_id - 1]!
      expect(masksEqual(decodeRle(rasterizePolygons(polygons, image.height, image.width)), sources[i]!)).toBe(true)
    })
    project.close()
  })
})

describe('COCO round trip', () => {
  for (const segmentation of ['rle', 'polygons'] as const) {
    it(`re-imports an exported file (${segmentation}) into a fresh project with identical masks`, async () => {
      const { project } = buildProject(21 + segmentation.length)
      const out = path.join(project.dir, 'round.json')
      await exportCoco(project, out, { segmentation, statuses: ['accepted', 'edited', 'proposed', 'rejected'] })
      const fresh = newEmptyProject('fresh')
      addImageRows(fresh, 6)
      const report = await importCoco(fresh, out)
      expect(report.imported).toEqual({ images: 0, annotations: 18, categories: 3 })
      expect(report.skipped).toEqual([])
      expect(masksByImageAndCategory(fresh)).toEqual(masksByImageAndCategory(project))
      expect(fresh.annotations.forImage(1).every((a) => a.status === 'accepted' && a.source === 'manual')).toBe(true)
      expect(fresh.annotations.forImage(1)[0]!.method).toEqual({ coco: { file: 'round.json', id: 1 } })

      // Importing the same file again adds nothing: every annotation is reported as a duplicate.
      const again = await importCoco(fresh, out)
      expect(again.imported).toEqual({ images: 0, annotations: 0, categories: 0 })
      expect(again.duplicates).toHaveLength(18)
      project.close()
      fresh.close()
    })
  }
})
