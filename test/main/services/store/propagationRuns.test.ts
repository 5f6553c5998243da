import { describe, expect, it } from 'vitest'
import { Project } from '../../../../src/main/services/store/index'
import { addImages, newProject, opaqueMask } from './helpers'

function setup(imageCount = 5) {
  const project = newProject()
  const images = addImages(project, imageCount)
  const category = project.categories.create({ name: 'teapot' })
  return { project, images, category }
}

describe('propagation runs', () => {
  it('hands out pending images in order and records each result with its proposals', () => {
    const { project, images, category } = setup()
    const order = [images[3]!.id, images[0]!.id, images[4]!.id]
    const job = project.runs.create({ method: 'persam-f', categoryId: category.id, params: { topK: 1, fineTune: { epochs: 1000 } }, modelId: 'sam-vit-b', imageIds: order })
    expect(job).toMatchObject({ state: 'queued', total: 3, done: 0, failed: 0, pending: 3, params: { topK: 1, fineTune: { epochs: 1000 } } })
    expect(() => project.runs.recordResult(job.id, order[0]!, { proposals: [] })).toThrow(/is queued, not running/)
    project.runs.start(job.id)
    expect(project.runs.nextPending(job.id, 2).map((i) => i.id)).toEqual(order.slice(0, 2))

    const [proposal] = project.runs.recordResult(job.id, order[0]!, { proposals: [{ mask: opaqueMask(images[3]!, 1), score: 0.91, method: { points: [[3, 4]] } }] })
    expect(proposal).toMatchObject({ imageId: order[0], categoryId: category.id, status: 'proposed', source: 'persam-f', modelId: 'sam-vit-b', score: 0.91, jobId: job.id })
    project.runs.recordResult(job.id, order[1]!, { error: 'decoder failed' })
    expect(project.runs.nextPending(job.id, 10).map((i) => i.id)).toEqual([order[2]])
    expect(project.runs.require(job.id)).toMatchObject({ state: 'running', done: 1, failed: 1, pending: 1 })
    expect(() => project.runs.recordResult(job.id, order[0]!, { proposals: [] })).toThrow(/already done/)
    expect(() => project.runs.recordResult(job.id, images[1]!.id, { proposals: [] })).toThrow(/image \d+ in job \d+ does not exist/)

    project.runs.recordResult(job.id, order[2]!, { proposals: [{ mask: opaqueMask(images[4]!, 2), status: 'absent', score: 0.1 }] })
    expect(project.runs.require(job.id)).toMatchObject({ state: 'done', done: 2, failed: 1, pending: 0 })
    expect(project.runs.imageStates(job.id)).toEqual([
      { imageId: order[0], state: 'done', error: null },
      { imageId: order[1], state: 'failed', error: 'decoder failed' },
      { imageId: order[2], state: 'done', error: null },
    ])
    expect(project.images.annotationCounts()).toMatchObject({ proposed: 1, absent: 1 })
    project.close()
  })

  it('stores nothing of a result whose transaction fails: no proposal, image still pending', () => {
    const { project, images, category } = setup(2)
    const job = project.runs.create({ method: 'persam', categoryId: category.id, params: {}, imageIds: [images[0]!.id] })
    project.runs.start(job.id)
    const good = opaqueMask(images[0]!, 1)
    expect(() => project.runs.recordResult(job.id, images[0]!.id, { proposals: [{ mask: good }, { mask: { ...good, size: [2, 2] } }] })).toThrow(/mask size/)
    expect(project.annotations.forImage(images[0]!.id)).toEqual([])
    expect(project.runs.nextPending(job.id, 5).map((i) => i.id)).toEqual([images[0]!.id])
    expect(project.runs.require(job.id).done).toBe(0)
    project.close()
  })

  it('resumes after the process died: running becomes interrupted, finished images are not handed out again', () => {
    const { project, images, category } = setup(4)
    const job = project.runs.create({ method: 'persam', categoryId: category.id, params: { seed: 1 }, imageIds: images.map((i) => i.id) })
    project.runs.start(job.id)
    project.runs.recordResult(job.id, images[0]!.id, { proposals: [{ mask: opaqueMask(images[0]!, 1), score: 0.5 }] })
    project.runs.recordResult(job.id, images[1]!.id, { proposals: [{ mask: opaqueMask(images[1]!, 2), score: 0.6 }] })
    const dir = project.dir
    project.db.close() // no orderly shutdown: the job stays 'running' in the file
    project.lock?.release() // a dead process's lock is taken over; this process is still alive, so drop it by hand

    const reopened = Project.open(dir)
    expect(reopened.runs.require(job.id).state).toBe('interrupted')
    expect(reopened.runs.resumable().map((j) => j.id)).toEqual([job.id])
    reopened.runs.start(job.id)
    const remaining = reopened.runs.nextPending(job.id, 10)
    expect(remaining.map((i) => i.id)).toEqual([images[2]!.id, images[3]!.id])
    for (const image of remaining) reopened.runs.recordResult(job.id, image.id, { proposals: [{ mask: opaqueMask(image, image.id), score: 0.7 }] })
    expect(reopened.runs.require(job.id)).toMatchObject({ state: 'done', done: 4 })
    // One proposal per image, none duplicated by the resume; and the whole job is one undo step.
    expect(reopened.db.prepare('SELECT image_id, count(*) AS n FROM annotations GROUP BY image_id').all()).toEqual(images.map((i) => ({ image_id: i.id, n: 1 })))
    expect(reopened.history.undo()?.annotationIds).toHaveLength(4)
    reopened.close()
  })

  it('runs one job at a time and refuses bad definitions', () => {
    const { project, images, category } = setup(2)
    const a = project.runs.create({ method: 'persam', categoryId: category.id, params: {}, imageIds: [images[0]!.id] })
    const b = project.runs.create({ method: 'persam', categoryId: category.id, params: {}, imageIds: [images[1]!.id] })
    project.runs.start(a.id)
    expect(() => project.runs.start(b.id)).toThrow(`job ${a.id} is already running in this project`)
    expect(project.runs.cancel(a.id).state).toBe('cancelled')
    expect(() => project.runs.start(a.id)).toThrow(/is cancelled/)
    expect(project.runs.start(b.id).state).toBe('running')
    expect(() => project.runs.create({ method: 'persam', categoryId: category.id, params: {}, imageIds: [] })).toThrow(/at least one image/)
    expect(() => project.runs.create({ method: 'persam', categoryId: category.id, params: {}, imageIds: [1, 1] })).toThrow(/lists an image twice/)
    expect(() => project.runs.create({ method: 'persam', categoryId: 999, params: {}, imageIds: [1] })).toThrow(/category 999 does not exist/)
    expect(() => project.runs.create({ method: 'persam', categoryId: category.id, params: {}, imageIds: [1, 999] })).toThrow('image 999 does not exist')
    project.close()
  })
})
