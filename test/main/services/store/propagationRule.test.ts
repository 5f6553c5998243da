/**
 * The propagation rule in the store: a propagation replaces the untouched results of earlier
 * ones (in its own undo step), keeps every decision a person made, and counts the kept masks
 * in max instances.
 */
import { describe, expect, it } from 'vitest'
import { storedMaskFromBinary, type Project, type StoredMask } from '../../../../src/main/services/store/index'
import { imagesInScope } from '../../../../src/main/services/propagation/propagationJob'
import { addImages, newProject } from './helpers'

const SIZE = { width: 64, height: 48 }

/** A real mask: the rectangle [x0, x1) x [y0, y1). */
function box(x0: number, y0: number, x1: number, y1: number): StoredMask {
  const data = new Uint8Array(SIZE.width * SIZE.height)
  for (let y = y0; y < y1; y++) data.fill(1, y * SIZE.width + x0, y * SIZE.width + x1)
  return storedMaskFromBinary({ ...SIZE, data })
}

function setup() {
  const project = newProject()
  const images = addImages(project, 3, SIZE)
  const category = project.categories.create({ name: 'teapot' })
  return { project, images, category }
}

/** Runs one propagation job to its end with `results` per image id. */
function propagate(project: Project, categoryId: number, results: Record<number, { mask: StoredMask | null; status?: 'absent' }[]>, maxInstances = 1) {
  const ids = Object.keys(results).map(Number)
  const job = project.runs.create({ method: 'persam', categoryId, params: { maxInstances }, imageIds: ids })
  project.runs.start(job.id)
  for (const id of ids) project.runs.recordResult(job.id, id, { proposals: results[id]!, maxInstances })
  return job
}

const statusesOn = (project: Project, imageId: number) => project.annotations.forImage(imageId).map((a) => `${a.status}:${a.source}`)

describe('the propagation rule in the store', () => {
  it('replaces the proposals and automatic absent verdicts of earlier runs, and undo brings them back', () => {
    const { project, images, category } = setup()
    const [a, b] = [images[0]!.id, images[1]!.id]
    propagate(project, category.id, { [a]: [{ mask: box(0, 0, 10, 10) }], [b]: [{ mask: null, status: 'absent' }] })
    const first = [...project.annotations.forImage(a), ...project.annotations.forImage(b)].map((x) => x.id)
    propagate(project, category.id, { [a]: [{ mask: box(2, 2, 12, 12) }], [b]: [{ mask: box(20, 20, 30, 30) }] })
    expect(project.annotations.forImage(a)).toHaveLength(1)
    expect(project.annotations.forImage(a)[0]!.mask!.bbox).toEqual([2, 2, 10, 10])
    expect(statusesOn(project, b)).toEqual(['proposed:persam'])
    expect(project.images.annotationCounts()).toMatchObject({ proposed: 2, absent: 0 })

    project.history.undo()
    expect([...project.annotations.forImage(a), ...project.annotations.forImage(b)].map((x) => x.id)).toEqual(first)
    expect(project.images.annotationCounts()).toMatchObject({ proposed: 1, absent: 1 })
    project.history.redo()
    expect(project.annotations.forImage(a)[0]!.mask!.bbox).toEqual([2, 2, 10, 10])
    expect(statusesOn(project, b)).toEqual(['proposed:persam'])
    project.close()
  })

  it('never touches accepted, edited, rejected or person-marked absent annotations, nor references', () => {
    const { project, images, category } = setup()
    const [a, b, c] = images.map((image) => image.id) as [number, number, number]
    propagate(project, category.id, { [a]: [{ mask: box(0, 0, 10, 10) }], [b]: [{ mask: box(0, 0, 10, 10) }], [c]: [{ mask: null, status: 'absent' }] }, 2)
    const [onA] = project.annotations.forImage(a)
    const [onB] = project.annotations.forImage(b)
    const [onC] = project.annotations.forImage(c)
    project.annotations.setStatus([onA!.id], 'rejected')
    project.annotations.setStatus([onB!.id], 'absent') // a person says the proposal was not the object
    project.annotations.setStatus([onC!.id], 'absent') // a person confirms the automatic verdict
    propagate(project, category.id, { [a]: [{ mask: box(30, 30, 40, 40) }], [b]: [{ mask: box(30, 30, 40, 40) }], [c]: [{ mask: box(30, 30, 40, 40) }] }, 2)
    expect(statusesOn(project, a)).toEqual(['rejected:persam', 'proposed:persam'])
    // A person's absent verdict stands: no proposal contradicts it.
    expect(statusesOn(project, b)).toEqual(['absent:persam'])
    expect(statusesOn(project, c)).toEqual(['absent:persam'])

    const manualAbsent = project.annotations.create({ imageId: a, categoryId: category.id, mask: null, status: 'absent', source: 'manual' })
    const reference = project.annotations.create({ imageId: c, categoryId: category.id, mask: box(5, 5, 15, 15), status: 'proposed', source: 'persam' })
    project.references.setReference(reference.id, true)
    propagate(project, category.id, { [a]: [{ mask: box(40, 30, 50, 40) }], [c]: [{ mask: box(40, 30, 50, 40) }] }, 3)
    expect(project.annotations.get(manualAbsent.id)).toBeDefined()
    expect(project.annotations.get(reference.id)?.status).toBe('proposed')
    project.close()
  })

  it('counts accepted and edited masks in max instances and refuses proposals overlapping them', () => {
    const { project, images, category } = setup()
    const [a, b] = [images[0]!.id, images[1]!.id]
    propagate(project, category.id, { [a]: [{ mask: box(0, 0, 20, 20) }], [b]: [{ mask: box(0, 0, 20, 20) }] })
    const [onA] = project.annotations.forImage(a)
    const [onB] = project.annotations.forImage(b)
    project.annotations.setStatus([onA!.id], 'accepted')
    project.annotations.update(onB!.id, { status: 'edited', mask: box(0, 0, 18, 18) })

    // Max 1: the image is full.
    propagate(project, category.id, { [a]: [{ mask: box(40, 0, 60, 20) }], [b]: [{ mask: null, status: 'absent' }] }, 1)
    expect(statusesOn(project, a)).toEqual(['accepted:persam'])
    // Max 2: one more, but neither a copy of the kept mask nor an absent verdict.
    propagate(project, category.id, { [a]: [{ mask: box(1, 1, 21, 21) }, { mask: box(40, 0, 60, 20) }, { mask: box(40, 25, 60, 45) }], [b]: [{ mask: null, status: 'absent' }] }, 2)
    expect(project.annotations.forImage(a).map((x) => [x.status, x.mask!.bbox])).toEqual([
      ['accepted', [0, 0, 20, 20]],
      ['proposed', [40, 0, 20, 20]],
    ])
    expect(statusesOn(project, b)).toEqual(['edited:persam'])
    project.close()
  })

  it('"not reviewed yet" covers images with proposals or only automatic absent verdicts, not those a person decided', () => {
    const { project, images, category } = setup()
    const [a, b, c] = images.map((image) => image.id) as [number, number, number]
    propagate(project, category.id, { [a]: [{ mask: null, status: 'absent' }], [b]: [{ mask: null, status: 'absent' }], [c]: [{ mask: box(0, 0, 5, 5) }] })
    project.annotations.setStatus([project.annotations.forImage(b)[0]!.id], 'absent')
    expect(imagesInScope(project, category.id, 'not-reviewed')).toEqual(expect.arrayContaining([a, c]))
    expect(imagesInScope(project, category.id, 'not-reviewed')).not.toContain(b)
    expect(imagesInScope(project, category.id, 'unlabeled')).not.toContain(a)
    project.close()
  })
})
