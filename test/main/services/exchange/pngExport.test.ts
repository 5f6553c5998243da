import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createMask, paintDisc } from '../../../../src/common/mask/index'
import { exportPngMasks } from '../../../../src/main/services/exchange/pngExport'
import { readLabelPng } from '../../../../src/main/services/images/maskPng'
import { binaryOfStored, storedMaskFromBinary } from '../../../../src/main/services/store/index'
import { addImageRows, buildProject, newEmptyProject } from './coco/fixtures'

describe('PNG mask export', () => {
  for (const mode of ['instance', 'semantic'] as const) {
    it(`writes one ${mode} label map per image that matches the masks (later annotations on top)`, async () => {
      const { project } = buildProject(31)
      const out = path.join(path.dirname(project.dir), `png-${mode}`)
      const report = await exportPngMasks(project, out, { mode, statuses: ['accepted', 'edited', 'proposed'] })
      expect(report.images).toBe(6)
      const categories = JSON.parse(readFileSync(path.join(out, 'categories.json'), 'utf8')) as { label: number; id: number; name: string }[]
      expect(categories.map((c) => [c.label, c.name])).toEqual([[1, 'mug'], [2, 'cat'], [3, 'teapot']])
      const instances = mode === 'instance' ? (JSON.parse(readFileSync(path.join(out, 'instances.json'), 'utf8')) as Record<string, { label: number; annotationId: number }[]>) : {}
      for (const image of project.images.iterate()) {
        const file = `${image.relPath.replace(/\.jpg$/, '')}.png`
        const { width, height, labels } = await readLabelPng(path.join(out, file))
        expect([width, height]).toEqual([image.width, image.height])
        const expected = new Uint16Array(width * height)
        const exported = project.annotations.forImage(image.id).filter((a) => a.status !== 'rejected')
        exported.forEach((annotation, k) => {
          const value = mode === 'instance' ? k + 1 : categories.find((c) => c.id === annotation.categoryId)!.label
          binaryOfStored(annotation.mask!).data.forEach((bit, i) => bit && (expected[i] = value))
        })
        expect(labels).toEqual(expected)
        if (mode === 'instance') expect(instances[file]!.map((entry) => entry.annotationId)).toEqual(exported.map((a) => a.id))
      }
      project.close()
    })
  }

  it('switches to 16-bit PNG above 255 instances and refuses a non-empty target', async () => {
    const project = newEmptyProject()
    const [imageId] = addImageRows(project, 3).slice(2) // 64x64
    const category = project.categories.create({ name: 'dot' })
    project.annotations.importMany(
      Array.from({ length: 300 }, (_, k) => ({
        imageId: imageId!,
        categoryId: category.id,
        mask: storedMaskFromBinary(paintDisc(createMask(64, 64), { x: k % 64, y: Math.floor(k / 64) * 10 }, 1)),
        status: 'accepted' as const,
        source: 'manual' as const,
      })),
    )
    const out = path.join(path.dirname(project.dir), 'png')
    await exportPngMasks(project, out, { mode: 'instance' })
    const { labels } = await readLabelPng(path.join(out, 'shots', '002.png'))
    expect(Math.max(...labels)).toBe(300)
    expect(readdirSync(path.join(out, 'shots')).sort()).toEqual(['000.png', '001.png', '002.png'])
    await expect(exportPngMasks(project, out, { mode: 'semantic' })).rejects.toThrow(/already exists and is not empty/)
    project.close()
  })
})
