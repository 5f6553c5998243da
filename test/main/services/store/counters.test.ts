import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ANNOTATION_STATUSES, type AnnotationStatus } from '../../../../src/main/services/store/index'
import { addImages, maintainedTotals, newProject, opaqueMask, recountedTotals } from './helpers'

type Operation =
  | { kind: 'create'; image: number; category: number; status: AnnotationStatus; score: number | null; marker: boolean }
  | { kind: 'score'; pick: number; score: number | null }
  | { kind: 'bulk'; images: number[]; category: number; status: AnnotationStatus }
  | { kind: 'status'; pick: number; status: AnnotationStatus }
  | { kind: 'move'; pick: number; category: number }
  | { kind: 'delete'; pick: number }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'deleteImage'; image: number }
  | { kind: 'rename'; image: number }
  | { kind: 'deleteCategory'; category: number }

const status = fc.constantFrom(...ANNOTATION_STATUSES)
const operation: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      image: fc.nat(5),
      category: fc.nat(2),
      status,
      score: fc.option(fc.integer({ min: 0, max: 20 }).map((n) => n / 20)),
      marker: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bulk' as const), images: fc.array(fc.nat(5), { maxLength: 8 }), category: fc.nat(2), status }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('score' as const), pick: fc.nat(), score: fc.option(fc.integer({ min: 0, max: 20 }).map((n) => n / 20)) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('status' as const), pick: fc.nat(), status }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('move' as const), pick: fc.nat(), category: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'undo' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'redo' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteImage' as const), image: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rename' as const), image: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteCategory' as const), category: fc.nat(2) }) },
)

describe('trigger-maintained counters', () => {
  it('always equal a recount from the annotations table, whatever the sequence of edits, undos and deletions', () => {
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1, maxLength: 40 }), (operations) => {
        const project = newProject()
        try {
          const images = addImages(project, 6)
          const categories = ['a', 'b', 'c'].map((name) => project.categories.create({ name }))
          let tag = 0
          for (const op of operations) {
            const ids = (project.db.prepare('SELECT id FROM annotations ORDER BY id').all() as { id: number }[]).map((row) => row.id)
            const picked = ids.length > 0 && 'pick' in op ? ids[op.pick % ids.length]! : undefined
            if (op.kind === 'create') {
              const image = images[op.image]!
              const category = categories[op.category]!
              if (!project.images.get(image.id) || !project.categories.get(category.id)) continue
              const marker = op.marker && op.status === 'absent'
              project.annotations.create({ imageId: image.id, categoryId: category.id, mask: marker ? null : opaqueMask(image, tag++), status: op.status, source: 'persam', score: op.score })
            } else if (op.kind === 'bulk') {
              // The import path: one transaction, triggers off, set-wise recount.
              const live = op.images.map((i) => images[i]!).filter((image) => project.images.get(image.id))
              if (!project.categories.get(categories[op.category]!.id)) continue
              project.annotations.importMany(
                live.map((image, k) => ({ imageId: image.id, categoryId: categories[op.category]!.id, mask: opaqueMask(image, tag++), status: op.status, source: 'manual' as const, score: k / 8 })),
              )
            } else if (op.kind === 'score' && picked !== undefined) project.annotations.update(picked, { score: op.score })
            else if (op.kind === 'status' && picked !== undefined) {
              if (project.annotations.get(picked)?.mask !== null || op.status === 'absent') project.annotations.setStatus([picked], op.status)
            }
            else if (op.kind === 'move' && picked !== undefined && project.categories.get(categories[op.category]!.id)) {
              project.annotations.update(picked, { categoryId: categories[op.category]!.id })
            } else if (op.kind === 'delete' && picked !== undefined) project.annotations.remove([picked])
            else if (op.kind === 'undo') project.history.undo()
            else if (op.kind === 'redo') project.history.redo()
            else if (op.kind === 'rename' && project.images.get(images[op.image]!.id)) {
              project.images.setRelPaths([{ id: images[op.image]!.id, relPath: `renamed/${tag++}.jpg` }])
            } else if (op.kind === 'deleteImage' && project.images.get(images[op.image]!.id)) project.images.remove([images[op.image]!.id])
            else if (op.kind === 'deleteCategory' && project.categories.get(categories[op.category]!.id)) project.categories.remove(categories[op.category]!.id)
            expect(maintainedTotals(project)).toEqual(recountedTotals(project))
          }
        } finally {
          project.close()
        }
      }),
      { numRuns: 60 },
    )
  })

  it('reports states, totals and per-image counts through the repository API', () => {
    const project = newProject()
    const [first, second, third] = addImages(project, 4)
    const cat = project.categories.create({ name: 'cat' })
    const dog = project.categories.create({ name: 'dog' })
    project.annotations.createMany([
      { imageId: first!.id, categoryId: cat.id, mask: opaqueMask(first!, 1), status: 'proposed', source: 'persam', score: 0.9 },
      { imageId: first!.id, categoryId: dog.id, mask: opaqueMask(first!, 2), status: 'accepted', source: 'manual' },
      { imageId: second!.id, categoryId: cat.id, mask: opaqueMask(second!, 3), status: 'proposed', source: 'persam', score: 0.4 },
      { imageId: second!.id, categoryId: cat.id, mask: opaqueMask(second!, 4), status: 'proposed', source: 'persam', score: 0.6 },
      { imageId: third!.id, categoryId: cat.id, mask: null, status: 'absent', source: 'manual' },
    ])
    expect(project.images.annotationCounts()).toEqual({ proposed: 3, accepted: 1, rejected: 0, edited: 0, absent: 1 })
    expect(project.images.stateCounts()).toEqual({ unlabeled: 1, 'to-review': 2, reviewed: 0, absent: 1 })
    expect(project.images.stateCounts(dog.id)).toEqual({ unlabeled: 3, 'to-review': 0, reviewed: 1, absent: 0 })
    const page = project.images.page({ offset: 0, limit: 10 })
    expect(page.items.map((item) => [item.state, item.minScore, item.counts.proposed])).toEqual([
      ['to-review', 0.9, 1],
      ['to-review', 0.4, 2],
      ['absent', null, 0],
      ['unlabeled', null, 0],
    ])
    const dogPage = project.images.page({ offset: 0, limit: 10, categoryId: dog.id })
    expect(dogPage.items.map((item) => item.state)).toEqual(['reviewed', 'unlabeled', 'unlabeled', 'unlabeled'])
    expect(dogPage.annotationCounts).toEqual({ proposed: 0, accepted: 1, rejected: 0, edited: 0, absent: 0 })
    project.close()
  })
})
