import { describe, expect, it } from 'vitest'
import { addImages, maintainedTotals, newProject, opaqueMask, recountedTotals } from './helpers'
import type { Project, StagedAnnotation } from '../../../../src/main/services/store/index'

/** Everything an import can change, for before/after comparisons. */
function snapshotOf(project: Project): unknown {
  return {
    images: [...project.images.iterate()],
    categories: project.categories.list(),
    annotations: project.db.prepare('SELECT * FROM annotations ORDER BY id').all(),
    references: project.db.prepare('SELECT * FROM reference_members ORDER BY set_id, annotation_id').all(),
    counters: maintainedTotals(project),
    sequence: project.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'annotations'").get(),
  }
}

const staged = (imageKey: number, categoryKey: number, tag: number, extra: Partial<StagedAnnotation> = {}): StagedAnnotation => ({
  imageKey,
  categoryKey,
  mask: opaqueMask({ width: 64, height: 48 }, tag),
  status: 'accepted',
  source: 'manual',
  ...extra,
})

describe('AnnotationRepository.importMany', () => {
  it('returns the new ids in the order of the drafts, also after the newest annotation was deleted', () => {
    const project = newProject()
    const [a, b] = addImages(project, 2)
    const category = project.categories.create({ name: 'mug' })
    const gone = project.annotations.create({ imageId: a!.id, categoryId: category.id, mask: opaqueMask(a!, 1), status: 'accepted', source: 'manual' })
    project.annotations.remove([gone.id]) // AUTOINCREMENT: the next id is not max(id) + 1
    const drafts = [b!, a!, b!].map((image, i) => ({ imageId: image.id, categoryId: category.id, mask: opaqueMask(image, 10 + i), status: 'proposed' as const, source: 'persam' as const, score: i / 4 }))
    const ids = project.annotations.importMany(drafts)
    expect(ids).toHaveLength(3)
    expect(ids[0]).toBeGreaterThan(gone.id)
    ids.forEach((id, i) => {
      const stored = project.annotations.require(id)
      expect([stored.imageId, stored.mask?.counts, stored.score]).toEqual([drafts[i]!.imageId, drafts[i]!.mask.counts, drafts[i]!.score])
    })
    expect(maintainedTotals(project)).toEqual(recountedTotals(project))
    project.close()
  })
})

describe('Project.beginImport', () => {
  it('commits staged annotations in staging order under the mapped images and categories, with counters recounted', () => {
    const project = newProject()
    const [first, second] = addImages(project, 2)
    const historyBefore = project.history.list()
    const stager = project.beginImport()
    try {
      stager.stageAnnotation(staged(7, 3, 1, { method: { coco: { file: 'a.json', id: 5 } }, score: 0.25 }))
      stager.stageAnnotation(staged(9, 3, 2, { iscrowd: true }))
      stager.stageAnnotation(staged(7, 4, 3))
      stager.stageAnnotation(staged(8, 3, 4)) // image key 8 is never mapped: not imported
      for (let i = 0; i < 2500; i++) stager.stageAnnotation(staged(9, 4, 100 + i)) // more than one staging batch
      expect(stager.staged).toBe(2504)
      let created = 0
      const count = stager.commit((keys) => {
        keys.image(7, first!.id)
        keys.image(9, second!.id)
        keys.category(3, project.categories.create({ name: 'mug' }).id)
        keys.category(4, project.categories.create({ name: 'cat' }).id)
        created = project.categories.list().length
      })
      expect([count, created]).toEqual([2503, 2])
    } finally {
      stager.close()
    }
    const mug = project.categories.byName('mug')!.id
    const cat = project.categories.byName('cat')!.id
    const rows = project.db.prepare('SELECT id FROM annotations ORDER BY id').pluck().all() as number[]
    const stored = rows.slice(0, 4).map((id) => project.annotations.require(id))
    expect(stored.map((a) => [a.imageId, a.categoryId, a.mask?.counts, a.iscrowd, a.status, a.source, a.score, a.method, a.revision])).toEqual([
      [first!.id, mug, opaqueMask(first!, 1).counts, false, 'accepted', 'manual', 0.25, { coco: { file: 'a.json', id: 5 } }, 1],
      [second!.id, mug, opaqueMask(second!, 2).counts, true, 'accepted', 'manual', null, null, 1],
      [first!.id, cat, opaqueMask(first!, 3).counts, false, 'accepted', 'manual', null, null, 1],
      [second!.id, cat, opaqueMask(second!, 100).counts, false, 'accepted', 'manual', null, null, 1],
    ])
    expect(rows).toHaveLength(2503)
    expect(maintainedTotals(project)).toEqual(recountedTotals(project))
    // An import is not an undo step (category creation records its own, as it always has).
    expect(project.history.list().filter((step) => !historyBefore.some((b) => b.id === step.id)).map((step) => step.label)).not.toContain(expect.stringMatching(/annotation/i))
    project.close()
  })

  it('leaves the project unchanged when the commit fails, and its triggers working', () => {
    const project = newProject()
    const [image] = addImages(project, 1)
    const existing = project.categories.create({ name: 'mug' })
    project.annotations.create({ imageId: image!.id, categoryId: existing.id, mask: opaqueMask(image!, 1), status: 'proposed', source: 'persam', score: 0.5 })
    const before = snapshotOf(project)

    for (const failure of ['foreign key', 'thrown'] as const) {
      const stager = project.beginImport()
      try {
        stager.stageAnnotation(staged(1, 1, 2))
        stager.stageAnnotation(staged(2, 1, 3))
        expect(() =>
          stager.commit((keys) => {
            const [added] = project.images.add([{ relPath: 'new/one.jpg', contentHash: 'f'.repeat(64), byteSize: 1, width: 64, height: 48, format: 'jpeg' }])
            keys.image(1, added!.id)
            keys.category(1, project.categories.create({ name: 'new category' }).id)
            if (failure === 'thrown') throw new Error('resolution failed (simulated)')
            keys.image(2, 9999) // no such image: the insert fails on the foreign key
          }),
        ).toThrow(failure === 'thrown' ? 'resolution failed (simulated)' : /FOREIGN KEY/)
      } finally {
        stager.close()
      }
      expect(snapshotOf(project)).toEqual(before)
    }
    // The insert trigger dropped during the bulk insert came back with the rollback.
    project.annotations.create({ imageId: image!.id, categoryId: existing.id, mask: opaqueMask(image!, 4), status: 'accepted', source: 'manual' })
    expect(maintainedTotals(project)).toEqual(recountedTotals(project))
    expect(project.images.annotationCounts().accepted).toBe(1)
    project.close()
  })

  it('refuses bad rows, a second stager, and use after close', () => {
    const project = newProject()
    const stager = project.beginImport()
    expect(() => stager.stageAnnotation(staged(1, 1, 1, { status: 'done' as never }))).toThrow('unknown annotation status "done"')
    expect(() => stager.stageAnnotation(staged(1, 1, 1, { source: 'sam' as never }))).toThrow('unknown annotation source "sam"')
    expect(() => stager.stageAnnotation(staged(1, 1, 1, { mask: null }))).toThrow('only an "absent" marker may have no mask')
    expect(stager.staged).toBe(0)
    expect(() => project.beginImport()).toThrow('an import is already being staged in this project')
    stager.close()
    expect(() => stager.stageAnnotation(staged(1, 1, 1))).toThrow('this import stager is closed')
    expect(project.db.prepare("SELECT count(*) FROM temp.sqlite_master WHERE name LIKE 'import_%'").pluck().get()).toBe(0)
    project.beginImport().close()
    project.close()
  })
})
