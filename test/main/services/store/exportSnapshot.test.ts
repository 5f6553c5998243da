import { describe, expect, it } from 'vitest'
import type { AnnotationStatus } from '../../../../src/main/services/store/index'
import { addImages, newProject, opaqueMask } from './helpers'

function seeded() {
  const project = newProject()
  const images = addImages(project, 3)
  const [mug, cat, dog] = ['mug', 'cat', 'dog'].map((name) => project.categories.create({ name, supercategory: name === 'dog' ? 'animal' : null }))
  const plan: [number, number, AnnotationStatus, boolean][] = [
    [2, cat!.id, 'accepted', false],
    [0, mug!.id, 'proposed', false],
    [1, mug!.id, 'edited', true],
    [0, dog!.id, 'absent', false], // a marker without mask: never a mask to export
    [2, mug!.id, 'accepted', false],
    [1, dog!.id, 'rejected', false],
    [0, cat!.id, 'edited', false],
  ]
  const created = project.annotations.createMany(
    plan.map(([image, categoryId, status, iscrowd], i) => ({
      imageId: images[image]!.id,
      categoryId,
      mask: status === 'absent' ? null : opaqueMask(images[image]!, i + 1),
      status,
      source: 'manual' as const,
      iscrowd,
      score: status === 'proposed' ? 0.5 : null,
    })),
  )
  return { project, images, mug: mug!, cat: cat!, dog: dog!, created }
}

describe('Project.openExportSnapshot', () => {
  it('yields categories, images and masks in id order, filtered by statuses and categories', () => {
    const { project, images, mug, cat, dog, created } = seeded()
    const snapshot = project.openExportSnapshot()
    try {
      expect(snapshot.categories()).toEqual([
        { id: mug.id, name: 'mug', supercategory: null },
        { id: cat.id, name: 'cat', supercategory: null },
        { id: dog.id, name: 'dog', supercategory: 'animal' },
      ])
      expect(snapshot.categories({ categoryIds: [dog.id, mug.id, 999] }).map((c) => c.name)).toEqual(['mug', 'dog'])
      expect([...snapshot.images()]).toEqual(images.map((image) => ({ id: image.id, relPath: image.relPath, width: image.width, height: image.height })))

      const reviewed = [...snapshot.masks({ statuses: ['accepted', 'edited'] })]
      const expected = created.filter((a) => a.mask !== null && ['accepted', 'edited'].includes(a.status))
      expect(reviewed).toEqual(
        expected.map((a) => ({ id: a.id, imageId: a.imageId, categoryId: a.categoryId, counts: a.mask!.counts, area: a.mask!.area, bbox: a.mask!.bbox, iscrowd: a.iscrowd, score: a.score })),
      )
      expect(reviewed.map((m) => m.id)).toEqual([...reviewed.map((m) => m.id)].sort((x, y) => x - y))
      expect(snapshot.countMasks({ statuses: ['accepted', 'edited'] })).toBe(reviewed.length)

      const everything = { statuses: ['accepted', 'edited', 'proposed', 'rejected', 'absent'] as AnnotationStatus[] }
      expect([...snapshot.masks(everything)].map((m) => m.id)).toEqual(created.filter((a) => a.mask !== null).map((a) => a.id))
      const mugOrDog = { ...everything, categoryIds: [mug.id, dog.id] }
      expect([...snapshot.masks(mugOrDog)].map((m) => m.id)).toEqual(created.filter((a) => a.mask !== null && a.categoryId !== cat.id).map((a) => a.id))
      expect(snapshot.countMasks(mugOrDog)).toBe(4)
    } finally {
      snapshot.close()
    }
    project.close()
  })

  it('keeps reading the state it opened on while the project changes, mid-iteration included', () => {
    const { project, images, mug } = seeded()
    const snapshot = project.openExportSnapshot()
    const filter = { statuses: ['accepted', 'edited', 'proposed', 'rejected'] as AnnotationStatus[] }
    const before = snapshot.countMasks(filter)
    const masks = snapshot.masks(filter)
    const first = masks.next()
    expect(first.done).toBe(false)

    project.annotations.create({ imageId: images[0]!.id, categoryId: mug.id, mask: opaqueMask(images[0]!, 50), status: 'accepted', source: 'manual' })
    project.images.add([{ relPath: 'late/added.jpg', contentHash: 'e'.repeat(64), byteSize: 1, width: 64, height: 48, format: 'jpeg' }])
    project.categories.create({ name: 'late' })
    project.annotations.setStatus([first.value!.id], 'rejected')

    expect(1 + [...masks].length).toBe(before)
    expect(snapshot.countMasks(filter)).toBe(before)
    expect([...snapshot.images()]).toHaveLength(images.length)
    expect(snapshot.categories().map((c) => c.name)).not.toContain('late')
    snapshot.close()
    snapshot.close() // twice is fine

    const fresh = project.openExportSnapshot()
    expect(fresh.countMasks(filter)).toBe(before + 1)
    expect([...fresh.images()]).toHaveLength(images.length + 1)
    fresh.close()
    project.close()
  })
})
