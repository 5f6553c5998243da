import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createMask, paintDisc } from '../../../../../src/common/mask/index'
import { exportCoco } from '../../../../../src/main/services/exchange/coco/cocoExport'
import { storedMaskFromBinary } from '../../../../../src/main/services/store/index'
import { addImages, newProject } from '../../store/helpers'

describe('COCO export progress', () => {
  it('reports progress over the masks of the chosen categories only', async () => {
    const project = newProject()
    const [image] = addImages(project, 1, { width: 16, height: 12 })
    const mask = storedMaskFromBinary(paintDisc(createMask(16, 12), { x: 8, y: 6 }, 3))
    const [chosen, other] = ['chosen', 'other'].map((name) => project.categories.create({ name }).id)
    const drafts = (categoryId: number) => Array.from({ length: 10_000 }, () => ({ imageId: image!.id, categoryId, mask, status: 'accepted' as const, source: 'manual' as const }))
    project.annotations.importMany([...drafts(other!), ...drafts(chosen!)])
    const progress: { done: number; total: number }[] = []
    const report = await exportCoco(project, path.join(project.dir, 'chosen.json'), { categoryIds: [chosen!], onProgress: ({ done, total }) => progress.push({ done, total }) })
    expect(report.annotations).toBe(10_000)
    // Before, the total and the counter included the other category's 10,000 masks too.
    expect(progress).toEqual([{ done: 10_000, total: 10_000 }])
    project.close()
  })
})
