import { describe, expect, it } from 'vitest'
import type { ImageState } from '../../../../src/main/services/store/index'
import { addImages, newProject, opaqueMask } from './helpers'

/**
 * 30 images, listed in reverse id order by name so that name order and id order differ.
 * Image i: a cat proposal (score (i % 7) / 7) when i % 3 == 0; an accepted dog when i % 5 == 0;
 * a cat "absent" marker when i % 7 == 1.
 */
function populated() {
  const project = newProject()
  const images = project.images.add(
    Array.from({ length: 30 }, (_, i) => ({ relPath: `z/${String(99 - i)}.jpg`, contentHash: String(i).padStart(64, '0'), byteSize: 1, width: 8, height: 6, format: 'jpeg' })),
  )
  const cat = project.categories.create({ name: 'cat' })
  const dog = project.categories.create({ name: 'dog' })
  project.annotations.createMany(
    images.flatMap((image, i) => [
      ...(i % 3 === 0 ? [{ imageId: image.id, categoryId: cat.id, mask: opaqueMask(image, i), status: 'proposed' as const, source: 'persam' as const, score: (i % 7) / 7 }] : []),
      ...(i % 5 === 0 ? [{ imageId: image.id, categoryId: dog.id, mask: opaqueMask(image, i + 100), status: 'accepted' as const, source: 'manual' as const }] : []),
      ...(i % 7 === 1 ? [{ imageId: image.id, categoryId: cat.id, mask: null, status: 'absent' as const, source: 'manual' as const }] : []),
    ]),
  )
  const expectedState = (i: number, category?: 'cat' | 'dog'): ImageState => {
    const proposed = (category !== 'dog' && i % 3 === 0 ? 1 : 0)
    const accepted = category !== 'cat' && i % 5 === 0 ? 1 : 0
    const absent = category !== 'dog' && i % 7 === 1 ? 1 : 0
    if (proposed + accepted + absent === 0) return 'unlabeled'
    if (proposed > 0) return 'to-review'
    return absent === proposed + accepted + absent ? 'absent' : 'reviewed'
  }
  return { project, images, cat, dog, expectedState }
}

describe('image list pages', () => {
  it('lists by name with offset paging, and by review order (least confident first, then id)', () => {
    const { project, images } = populated()
    const byName = [...images].reverse().map((i) => i.id)
    const pages = [0, 12, 24].map((offset) => project.images.page({ offset, limit: 12 }))
    expect(pages.flatMap((p) => p.items.map((i) => i.id))).toEqual(byName)
    expect(pages[0]!.total).toBe(30)

    const review = project.images.page({ offset: 0, limit: 30, order: 'review' }).items
    const expected = images
      .map((image, i) => ({ id: image.id, score: i % 3 === 0 ? (i % 7) / 7 : Infinity }))
      .sort((a, b) => a.score - b.score || a.id - b.id)
      .map((e) => e.id)
    expect(review.map((i) => i.id)).toEqual(expected)
    expect(() => project.images.page({ offset: 0, limit: 0 })).toThrow(/page limit must be 1\.\.1000/)
    project.close()
  })

  it('filters by state for all categories and per category, in both orders, with matching totals and counts', () => {
    const { project, images, cat, dog, expectedState } = populated()
    for (const category of [undefined, 'cat', 'dog'] as const) {
      const categoryId = category === undefined ? undefined : category === 'cat' ? cat.id : dog.id
      const counts = project.images.stateCounts(categoryId)
      for (const state of ['unlabeled', 'to-review', 'reviewed', 'absent'] as const) {
        const matching = images.filter((_, i) => expectedState(i, category) === state)
        expect(counts[state]).toBe(matching.length)
        for (const order of ['name', 'review'] as const) {
          const page = project.images.page({ offset: 0, limit: 100, state, ...(categoryId ? { categoryId } : {}), order })
          expect(page.total).toBe(matching.length)
          expect(new Set(page.items.map((i) => i.id))).toEqual(new Set(matching.map((i) => i.id)))
          expect(page.items.every((item) => item.state === state)).toBe(true)
          if (order === 'name') expect(page.items.map((i) => i.relPath)).toEqual([...page.items.map((i) => i.relPath)].sort())
        }
      }
    }
    // Review order seen from one category: its images to review by lowest score, then all others by id.
    const catReview = project.images.page({ offset: 0, limit: 100, categoryId: cat.id, order: 'review' }).items.map((i) => i.id)
    const toReview = images.map((image, i) => ({ id: image.id, i })).filter(({ i }) => i % 3 === 0).sort((a, b) => (a.i % 7) - (b.i % 7) || a.id - b.id).map((e) => e.id)
    expect(catReview).toEqual([...toReview, ...images.map((i) => i.id).filter((id) => !toReview.includes(id))])
    const paged = [0, 7, 14, 21, 28].flatMap((offset) => project.images.page({ offset, limit: 7, categoryId: cat.id, order: 'review' }).items.map((i) => i.id))
    expect(paged).toEqual(catReview)

    // Image 0 has a cat proposal and an accepted dog: seen from the dog, only the dog counts.
    const dogView = project.images.item(images[0]!.id, dog.id)
    expect(dogView).toMatchObject({ state: 'reviewed', minScore: null, counts: { proposed: 0, accepted: 1 } })
    expect(project.images.item(images[0]!.id)).toMatchObject({ state: 'to-review', minScore: 0, counts: { proposed: 1, accepted: 1 } })
    project.close()
  })

  it('lists annotations across images without masks, least confident first (unscored last) or by image, paged with totals', () => {
    const { project, cat, images } = populated()
    project.annotations.createMany([0, 1].map((i) => ({ imageId: images[i]!.id, categoryId: cat.id, mask: opaqueMask(images[i]!, 50 + i), status: 'proposed' as const, source: 'manual' as const })))
    const [first] = project.annotations.forImage(images[3]!.id)
    project.references.setReference(first!.id, true)
    const all = project.annotations.list({ limit: 100 })
    expect(all.total).toBe(12)
    const rank = (score: number | null): number => (score === null ? Infinity : score)
    expect(all.items).toEqual([...all.items].sort((a, b) => rank(a.score) - rank(b.score) || a.id - b.id))
    expect(all.items.slice(-2).map((a) => a.score)).toEqual([null, null])
    expect(all.items.filter((a) => a.isReference).map((a) => a.id)).toEqual([first!.id])
    expect(Object.keys(all.items[0]!).sort()).toEqual(['categoryId', 'id', 'imageId', 'isReference', 'score', 'status'])
    const paged = [0, 5, 10].flatMap((offset) => project.annotations.list({ limit: 5, offset }).items)
    expect(paged).toEqual(all.items)

    const byImage = project.annotations.list({ limit: 100, order: 'image', statuses: ['proposed', 'accepted'] })
    const pathOf = (id: number) => project.images.get(id)!.relPath
    expect(byImage.items.map((a) => [pathOf(a.imageId), a.id])).toEqual(
      [...byImage.items].sort((a, b) => pathOf(a.imageId).localeCompare(pathOf(b.imageId)) || a.id - b.id).map((a) => [pathOf(a.imageId), a.id]),
    )
    expect(byImage.total).toBe(12 + 6)
    expect(project.annotations.list({ limit: 100, categoryId: cat.id, statuses: ['absent'] }).total).toBe(5)
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

  it('refuses a mask-less annotation unless it is an absent marker', () => {
    const project = newProject()
    const [image] = addImages(project, 1)
    const category = project.categories.create({ name: 'c' })
    expect(() => project.annotations.create({ imageId: image!.id, categoryId: category.id, mask: null, status: 'accepted', source: 'manual' })).toThrow(
      'only an "absent" marker may have no mask (status is accepted)',
    )
    const marker = project.annotations.create({ imageId: image!.id, categoryId: category.id, mask: null, status: 'absent', source: 'manual' })
    expect(() => project.annotations.setStatus([marker.id], 'accepted')).toThrow(/only an "absent" marker/)
    expect(project.annotations.get(marker.id)).toMatchObject({ mask: null, status: 'absent' })
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
    project.history.redo()
    // Moving the annotation to another category takes it out of the old category's sets.
    project.annotations.update(catAnnotation!.id, { categoryId: dog.id }, 'Relabel')
    expect(project.references.members(set.id)).toEqual([])
    project.history.undo()
    expect(project.references.members(set.id).map((a) => a.id)).toEqual([catAnnotation!.id])
    project.close()
  })
})
