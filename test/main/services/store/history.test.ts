import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { Project } from '../../../../src/main/services/store/index'
import { addImages, newProject, opaqueMask, steppingClock } from './helpers'

function setup() {
  const project = newProject()
  const images = addImages(project, 4)
  const category = project.categories.create({ name: 'mug' })
  return { project, images, category }
}

describe('edit history', () => {
  it('undoes and redoes a mask edit exactly, RLE and all, and survives closing and reopening the project', () => {
    const { project, images, category } = setup()
    const image = images[0]!
    const created = project.annotations.create({ imageId: image.id, categoryId: category.id, mask: opaqueMask(image, 1), status: 'accepted', source: 'manual' })
    const edited = project.annotations.update(created.id, { mask: opaqueMask(image, 7), status: 'edited' }, 'Brush stroke')
    expect(edited.mask?.counts).not.toBe(created.mask?.counts)

    const dir = project.dir
    project.close()
    const reopened = Project.open(dir, { now: steppingClock(1_800_000_000_000) })
    expect(reopened.history.peek().undo?.label).toBe('Brush stroke')
    const undone = reopened.history.undo()
    expect(undone?.annotationIds).toEqual([created.id])
    expect(reopened.annotations.get(created.id)).toEqual(created)

    reopened.close()
    const again = Project.open(dir)
    expect(again.history.peek().redo?.label).toBe('Brush stroke')
    again.history.redo()
    expect(again.annotations.get(created.id)).toEqual(edited)
    again.history.undo()
    again.history.undo()
    expect(again.annotations.get(created.id)).toBeUndefined()
    expect(again.history.undo()).toBeNull()
    again.history.redo()
    expect(again.annotations.get(created.id)).toEqual(created)
    again.close()
  })

  it('makes one review action over many annotations one undo step', () => {
    const { project, images, category } = setup()
    const proposals = project.annotations.createMany(
      images.map((image, i) => ({ imageId: image.id, categoryId: category.id, mask: opaqueMask(image, i), status: 'proposed' as const, source: 'persam' as const, score: i / 10 })),
      'Proposals',
    )
    project.annotations.setStatus(proposals.map((a) => a.id), 'accepted', 'Accept page')
    expect(project.images.annotationCounts().accepted).toBe(4)
    expect(project.history.undo()?.step.label).toBe('Accept page')
    expect(project.images.annotationCounts()).toMatchObject({ proposed: 4, accepted: 0 })
    expect(project.history.undo()?.step.label).toBe('Proposals')
    expect(project.images.annotationCounts().proposed).toBe(0)
    project.close()
  })

  it('restores a deleted reference annotation under its id together with its reference membership', () => {
    const { project, images, category } = setup()
    const image = images[1]!
    const annotation = project.annotations.create({ imageId: image.id, categoryId: category.id, mask: opaqueMask(image, 3), status: 'accepted', source: 'manual' })
    project.references.setReference(annotation.id, true)
    const set = project.references.defaultSet(category.id)
    project.annotations.remove([annotation.id])
    expect(project.references.members(set.id)).toEqual([])
    // A new annotation must not take the deleted id (AUTOINCREMENT), or undo could not restore it.
    const other = project.annotations.create({ imageId: image.id, categoryId: category.id, mask: opaqueMask(image, 4), status: 'accepted', source: 'manual' })
    expect(other.id).toBeGreaterThan(annotation.id)
    project.history.undo() // the new annotation
    project.history.undo() // the deletion
    expect(project.annotations.get(annotation.id)).toEqual(annotation)
    expect(project.references.members(set.id).map((a) => a.id)).toEqual([annotation.id])
    project.close()
  })

  it('drops the redo branch when a new change is made, but not for a change that changed nothing', () => {
    const { project, images, category } = setup()
    const image = images[0]!
    const keep = project.annotations.create({ imageId: image.id, categoryId: category.id, mask: opaqueMask(image, 0), status: 'accepted', source: 'manual' })
    const a = project.annotations.create({ imageId: image.id, categoryId: category.id, mask: opaqueMask(image, 1), status: 'accepted', source: 'manual' }, 'Add a')
    project.history.undo()
    project.references.setReference(keep.id, false) // not a reference: nothing to change
    expect(project.history.peek().redo?.label).toBe('Add a')
    project.annotations.create({ imageId: image.id, categoryId: category.id, mask: opaqueMask(image, 2), status: 'accepted', source: 'manual' })
    expect(project.history.peek().redo).toBeNull()
    expect(project.history.redo()).toBeNull()
    expect(project.annotations.get(a.id)).toBeUndefined()
    project.close()
  })

  it('refuses to undo over a row changed outside the history, and leaves everything as it was', () => {
    const { project, images, category } = setup()
    const image = images[0]!
    const a = project.annotations.create({ imageId: image.id, categoryId: category.id, mask: opaqueMask(image, 1), status: 'proposed', source: 'persam' })
    project.annotations.setStatus([a.id], 'accepted')
    project.db.prepare('UPDATE annotations SET revision = revision + 1, status = ? WHERE id = ?').run('rejected', a.id)
    expect(() => project.history.undo()).toThrow(/annotation \d+ was changed by something outside the history/)
    expect(project.annotations.get(a.id)?.status).toBe('rejected')
    expect(project.history.peek().undo?.label).toMatch(/Mark 1 as accepted/)
    project.close()
  })

  it('keeps a failed change out of both the data and the history', () => {
    const { project, images, category } = setup()
    const image = images[0]!
    expect(() =>
      project.annotations.createMany([
        { imageId: image.id, categoryId: category.id, mask: opaqueMask(image, 1), status: 'accepted', source: 'manual' },
        { imageId: image.id, categoryId: category.id, mask: { ...opaqueMask(image, 2), size: [1, 1] }, status: 'accepted', source: 'manual' },
      ]),
    ).toThrow(/mask size \[1, 1\] does not match the image/)
    expect(project.annotations.forImage(image.id)).toEqual([])
    expect(project.history.list()).toEqual([])
    project.close()
  })

  it('keeps only the configured number of steps', () => {
    const project = newProject({ historyLimit: 3 })
    const [image] = addImages(project, 1)
    const category = project.categories.create({ name: 'x' })
    for (let i = 0; i < 6; i++) project.annotations.create({ imageId: image!.id, categoryId: category.id, mask: opaqueMask(image!, i), status: 'accepted', source: 'manual' }, `step ${i}`)
    expect(project.history.list().map((s) => s.label)).toEqual(['step 5', 'step 4', 'step 3'])
    expect(project.history.undo()?.step.label).toBe('step 5')
    project.close()
  })

  it('passes over a running job step and redoes in reverse order of undoing', () => {
    const { project, images, category } = setup()
    const image = images[0]!
    const manual = project.annotations.create({ imageId: image.id, categoryId: category.id, mask: opaqueMask(image, 1), status: 'accepted', source: 'manual' }, 'Manual')
    const job = project.runs.create({ method: 'persam', categoryId: category.id, params: {}, imageIds: [images[1]!.id, images[2]!.id] })
    project.runs.start(job.id)
    project.runs.recordResult(job.id, images[1]!.id, { proposals: [{ mask: opaqueMask(images[1]!, 5), score: 0.8 }] })
    // The job's step is open: undo reaches the manual step behind it.
    expect(project.history.undo()?.step.label).toBe('Manual')
    expect(project.annotations.get(manual.id)).toBeUndefined()
    project.runs.recordResult(job.id, images[2]!.id, { proposals: [{ mask: opaqueMask(images[2]!, 6), score: 0.7 }] })
    expect(project.runs.require(job.id).state).toBe('done')
    const jobStep = project.history.undo()
    expect(jobStep?.step.label).toMatch(/^Propagate "mug" \(PerSAM\) to 2 images$/)
    expect(jobStep?.annotationIds).toHaveLength(2)
    expect(project.images.annotationCounts().proposed).toBe(0)
    expect(project.history.redo()?.step.label).toBe(jobStep?.step.label)
    expect(project.images.annotationCounts().proposed).toBe(2)
    expect(project.history.redo()?.step.label).toBe('Manual')
    expect(project.annotations.get(manual.id)).toEqual(manual)
    project.close()
  })

  it('is cleared by deleting a category, since its steps would point at vanished rows', () => {
    const { project, images, category } = setup()
    const other = project.categories.create({ name: 'other' })
    project.annotations.create({ imageId: images[0]!.id, categoryId: category.id, mask: opaqueMask(images[0]!, 1), status: 'accepted', source: 'manual' })
    project.annotations.create({ imageId: images[0]!.id, categoryId: other.id, mask: opaqueMask(images[0]!, 2), status: 'accepted', source: 'manual' })
    expect(project.categories.remove(category.id)).toEqual({ annotationsDeleted: 1 })
    expect(project.history.peek()).toEqual({ undo: null, redo: null })
    expect(path.basename(project.file)).toBe('project.sqlite')
    project.close()
  })
})
