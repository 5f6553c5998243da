import { describe, expect, it } from 'vitest'
import { addImages, newProject, opaqueMask } from './helpers'

function populated() {
  const project = newProject()
  const images = addImages(project, 30)
  const cat = project.categories.create({ name: 'cat' })
  const dog = project.categories.create({ name: 'dog' })
  // Image i gets: a cat proposal when i % 3 == 0, an accepted dog when i % 5 == 0.
  project.annotations.createMany(
    images.flatMap((image, i) => [
      ...(i % 3 === 0 ? [{ imageId: image.id, categoryId: cat.id, mask: opaqueMask(image, i), status: 'proposed' as const, source: 'persam' as const, score: (i % 7) / 7 }] : []),
      ...(i % 5 === 0 ? [{ imageId: image.id, categoryId: dog.id, mask: opaqueMask(image, i + 100), status: 'accepted' as const, source: 'manual' as const }] : []),
    ]),
  )
  return { project, images, cat, dog }
}

describe('image list pages', () => {
  it('pages by offset and by cursor over the same order, with the filtered total', () => {
    const { project, images } = populated()
    const all = images.map((i) => i.id)
    const first = project.images.page({ limit: 12 })
    expect(first.total).toBe(30)
    expect(first.items.map((i) => i.id)).toEqual(all.slice(0, 12))
    const byCursor = project.images.page({ limit: 12, afterId: first.nextAfterId! })
    const byOffset = project.images.page({ limit: 12, offset: 12 })
    expect(byCursor.items.map((i) => i.id)).toEqual(all.slice(12, 24))
    expect(byOffset.items).toEqual(byCursor.items)
    expect(project.images.page({ limit: 12, offset: 24 }).nextAfterId).toBeNull()
    expect(() => project.images.page({ limit: 0 })).toThrow(/page limit must be 1\.\.1000/)
    project.close()
  })

  it('filters by status, by category and by both, with counts restricted to the category', () => {
    const { project, images, cat, dog } = populated()
    const ids = (predicate: (i: number) => boolean) => images.filter((_, i) => predicate(i)).map((image) => image.id)

    const proposed = project.images.page({ limit: 100, status: 'proposed' })
    expect(proposed.items.map((i) => i.id)).toEqual(ids((i) => i % 3 === 0))
    expect(proposed.total).toBe(10)
    const unannotated = project.images.page({ limit: 100, status: 'unannotated' })
    expect(unannotated.items.map((i) => i.id)).toEqual(ids((i) => i % 3 !== 0 && i % 5 !== 0))
    expect(unannotated.total).toBe(unannotated.items.length)
    expect(project.images.page({ limit: 100, status: 'annotated' }).total).toBe(14)

    const dogs = project.images.page({ limit: 100, categoryId: dog.id })
    expect(dogs.items.map((i) => i.id)).toEqual(ids((i) => i % 5 === 0))
    // Image 0 has a cat proposal too, but the counts are the dog's only.
    expect(dogs.items[0]!.counts).toEqual({ proposed: 0, accepted: 1, rejected: 0, edited: 0, absent: 0 })
    const catProposals = project.images.page({ limit: 100, categoryId: cat.id, status: 'proposed' })
    expect(catProposals.total).toBe(10)
    expect(project.images.page({ limit: 100, categoryId: cat.id, status: 'unannotated' }).total).toBe(20)
    project.close()
  })

  it('lists a review queue by confidence, then by id, paged without repeats', () => {
    const { project, cat } = populated()
    const seen: { id: number; score: number | null }[] = []
    let after: { score: number | null; id: number } | undefined
    for (;;) {
      const page = project.annotations.reviewQueue({ categoryId: cat.id, limit: 3, ...(after ? { after } : {}) })
      if (page.length === 0) break
      seen.push(...page.map((a) => ({ id: a.id, score: a.score })))
      after = { score: page[page.length - 1]!.score, id: page[page.length - 1]!.id }
    }
    const expected = [...seen].sort((a, b) => b.score! - a.score! || a.id - b.id)
    expect(seen).toEqual(expected)
    expect(new Set(seen.map((s) => s.id)).size).toBe(10)
    project.close()
  })

  it('refuses an image path twice and adds nothing of a batch that conflicts', () => {
    const project = newProject()
    addImages(project, 2)
    const fresh = { relPath: 'new.jpg', contentHash: 'f'.repeat(64), byteSize: 1, width: 1, height: 1, format: 'jpeg' }
    const duplicate = { ...fresh, relPath: 'set/img_00001.jpg' }
    expect(() => project.images.add([fresh, duplicate])).toThrow('image set/img_00001.jpg is already in the project')
    expect(project.images.byRelPath('new.jpg')).toBeUndefined()
    expect(project.images.byHash('f'.repeat(64))).toEqual([])
    project.close()
  })
})

describe('reference sets', () => {
  it('adds and removes references in the category default set, undoably, and refuses other categories', () => {
    const { project, images, cat, dog } = populated()
    const [catAnnotation] = project.annotations.forImage(images[3]!.id)
    project.references.setReference(catAnnotation!.id, true)
    const set = project.references.defaultSet(cat.id)
    expect(project.references.sets(cat.id)).toEqual([set])
    expect(project.references.members(set.id).map((a) => a.id)).toEqual([catAnnotation!.id])
    expect(project.references.referenceIdsForImage(images[3]!.id)).toEqual([catAnnotation!.id])
    const dogSet = project.references.defaultSet(dog.id)
    expect(() => project.references.setReference(catAnnotation!.id, true, dogSet.id)).toThrow(/is not of the category of reference set/)
    project.history.undo()
    expect(project.references.members(set.id)).toEqual([])
    // Moving the annotation to another category takes it out of the old category's sets.
    project.history.redo()
    project.annotations.update(catAnnotation!.id, { categoryId: dog.id }, 'Relabel')
    expect(project.references.members(set.id)).toEqual([])
    project.history.undo()
    expect(project.references.members(set.id).map((a) => a.id)).toEqual([catAnnotation!.id])
    project.close()
  })
})
