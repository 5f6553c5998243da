/**
 * The whole workflow through the contract, once in-process and once through the browser-mode
 * server: demo project, segment with a click, commit, use as reference, propagate (PerSAM-F),
 * review (accept, reject, correct by click and by brush), undo/redo across a restart of the
 * service, export COCO and import it into a new project with identical masks.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { mediaPath } from '../../../src/common/ipc/media'
import { decodeRle, decompressRle, maskIou } from '../../../src/common/mask'
import { createStudioCore } from '../../../src/main/api/studioCore'
import { resourcesDir } from '../../../src/main/services/system/paths'
import { demoObjectIn } from '../../helpers/demoObjects'
import { httpClient, inProcessClient, waitForJob, type StudioClient } from './workflowClients'

const RENDERER_DIR = mkdtempSync(path.join(tmpdir(), 'renderer-'))

async function start(kind: 'in-process' | 'http', dataDir: string): Promise<{ client: StudioClient; close(): Promise<void> }> {
  const core = await createStudioCore({ host: kind === 'http' ? 'browser' : 'cli', dataDir, log: () => {} })
  const client = kind === 'http' ? await httpClient(core, RENDERER_DIR) : inProcessClient(core)
  return {
    client,
    async close() {
      await client.close()
      await core.close()
    },
  }
}

/** A pixel inside the object in a demo photo, and the object's true mask. */
function objectIn(fileName: string) {
  const found = demoObjectIn(fileName)
  if (!found) throw new Error(`${fileName} does not show the demo object`)
  return found
}

const maskOf = (rle: { size: readonly [number, number]; counts: string }) => decodeRle(decompressRle(rle))

async function workflow(kind: 'in-process' | 'http'): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `workflow-${kind}-`))
  let studio = await start(kind, dataDir)
  let api = studio.client

  const info = await api.call('app:info', {})
  expect(info.onnxruntime.executionProviders.some((p) => p.name === 'cpu')).toBe(true)
  const demo = await api.call('project:openDemo', {})
  expect(demo.isDemo).toBe(true)
  expect(demo.imageCount).toBe(12)
  const [category] = await api.call('category:list', {})
  expect(category?.name).toBe('kite')
  const page = await api.call('image:list', { offset: 0, limit: 100 })
  expect(page.total).toBe(12)
  expect(page.imageCounts.unlabeled).toBe(12)
  const idOf = new Map(page.items.map((item) => [item.fileName, item.id]))

  if (api.get) {
    const thumb = await api.get(`/${mediaPath(page.items.find((item) => item.fileName === 'photo-00.jpg')!, 'thumb')}`)
    expect(thumb.status).toBe(200)
    expect(thumb.contentType).toBe('image/jpeg')
    expect(Array.from(thumb.bytes.subarray(0, 2))).toEqual([0xff, 0xd8])
  }

  // Mark the object once with one click.
  const reference = objectIn('photo-00.jpg')
  const referenceImageId = idOf.get('photo-00.jpg')!
  const preview = await api.call('segment:preview', { requestId: 7, imageId: referenceImageId, points: [{ x: reference.x, y: reference.y, positive: true }] })
  expect(preview.requestId).toBe(7)
  expect(preview.candidates).toHaveLength(4)
  const clicked = maskOf(preview.candidates[preview.recommended]!.mask)
  expect(maskIou(clicked, reference.truth)).toBeGreaterThan(0.8)
  const marked = await api.call('segment:commit', { previewId: preview.previewId, candidate: preview.recommended, categoryId: category!.id })
  expect(marked).toMatchObject({ status: 'accepted', source: 'manual', imageId: referenceImageId })
  const asReference = await api.call('annotation:setReference', { annotationId: marked.id, isReference: true })
  expect(asReference.isReference).toBe(true)

  // Propagate with PerSAM-F; proposals arrive as events while the job runs.
  const job = await api.call('propagation:start', { categoryId: category!.id, method: 'persam-f', scope: 'unlabeled' })
  expect(job.kind).toBe('propagation')
  const finished = await waitForJob(api, job.id)
  expect(finished.state).toBe('done')
  const report = finished.report as { images: number; proposals: number; absent: number }
  expect(report.images).toBe(11)
  expect(report.proposals).toBeGreaterThanOrEqual(7)
  expect(report.absent).toBeGreaterThanOrEqual(1)
  await expect.poll(() => api.eventsOf('proposal:added').length).toBeGreaterThanOrEqual(report.proposals)
  expect(api.eventsOf('job:progress').some((p) => p.id === job.id && p.state === 'done')).toBe(true)

  // Review from the least confident proposal.
  const queue = await api.call('annotation:list', { categoryId: category!.id, statuses: ['proposed'], order: 'score' })
  expect(queue.total).toBe(report.proposals)
  const scores = queue.items.map((item) => item.score ?? 1)
  expect(scores).toEqual([...scores].sort((a, b) => a - b))
  const [first, second, third, fourth] = queue.items
  expect((await api.call('annotation:review', { annotationId: first!.id, action: 'accept' }))?.status).toBe('accepted')
  expect((await api.call('annotation:review', { annotationId: second!.id, action: 'reject' }))?.status).toBe('rejected')

  // A correction by click, starting from the proposal's own mask.
  const thirdImage = await api.call('image:get', { imageId: third!.imageId })
  const thirdName = thirdImage.image.fileName
  const target = objectIn(thirdName)
  const correction = await api.call('segment:preview', {
    requestId: 8,
    imageId: third!.imageId,
    points: [{ x: target.x, y: target.y, positive: true }],
    maskInput: { annotationId: third!.id },
  })
  const corrected = await api.call('segment:commit', { previewId: correction.previewId, candidate: correction.recommended, categoryId: category!.id, replaceAnnotationId: third!.id })
  expect(corrected).toMatchObject({ id: third!.id, status: 'edited' })

  // A correction with the brush: the area grows.
  const before = (await api.call('image:get', { imageId: fourth!.imageId })).annotations.find((a) => a.id === fourth!.id)!
  const [bx, by, bw, bh] = before.bbox!
  const stroke = await api.call('annotation:stroke', {
    annotationId: fourth!.id,
    mode: 'brush',
    points: [{ x: bx + bw, y: by + bh / 2 }, { x: Math.min(bx + bw + 40, 599), y: by + bh / 2 }],
    radius: 12,
  })
  expect(stroke.status).toBe('edited')
  expect(stroke.area).toBeGreaterThan(before.area)
  expect(api.eventsOf('history:changed').at(-1)?.canUndo).toBe(true)

  // Undo the stroke, redo it, undo again, then restart the service.
  const undone = await api.call('history:undo', {})
  expect(undone?.imageIds).toContain(fourth!.imageId)
  const afterUndo = (await api.call('image:get', { imageId: fourth!.imageId })).annotations.find((a) => a.id === fourth!.id)!
  expect(afterUndo.area).toBe(before.area)
  await api.call('history:redo', {})
  expect((await api.call('image:get', { imageId: fourth!.imageId })).annotations.find((a) => a.id === fourth!.id)!.area).toBe(stroke.area)
  await api.call('history:undo', {})
  await studio.close()

  studio = await start(kind, dataDir)
  api = studio.client
  const recent = await api.call('project:recent', {})
  expect(recent[0]?.projectDir).toBe(demo.projectDir)
  await api.call('project:open', { projectDir: demo.projectDir })
  const history = await api.call('history:state', {})
  expect(history).toMatchObject({ canUndo: true, canRedo: true })
  const redone = await api.call('history:redo', {})
  expect(redone?.imageIds).toContain(fourth!.imageId)
  expect((await api.call('image:get', { imageId: fourth!.imageId })).annotations.find((a) => a.id === fourth!.id)!.area).toBe(stroke.area)

  // Export the reviewed work as COCO and import it into a new project over the same photos.
  const cocoFile = path.join(dataDir, 'export', 'kite.json')
  const exported = await waitForJob(api, (await api.call('exchange:export', { format: 'coco', path: cocoFile })).id)
  expect(exported.error).toBeNull()
  expect(exported.state).toBe('done')
  expect(existsSync(cocoFile)).toBe(true)
  const coco = JSON.parse(readFileSync(cocoFile, 'utf8')) as { annotations: { id: number; image_id: number; segmentation: { size: [number, number]; counts: string } }[]; images: { id: number; file_name: string }[] }
  // The reference, the accepted proposal, the click correction and the brush correction.
  expect(coco.annotations).toHaveLength(4)
  expect(coco.annotations.map((a) => a.id)).toEqual([1, 2, 3, 4])

  const reviewed = new Map<string, string>()
  for (const item of (await api.call('image:list', { offset: 0, limit: 100 })).items) {
    for (const annotation of (await api.call('image:get', { imageId: item.id })).annotations) {
      if (annotation.status === 'accepted' || annotation.status === 'edited') reviewed.set(`${item.fileName}`, annotation.mask!.counts)
    }
  }
  const created = await api.call('project:create', { imagesRoot: path.join(resourcesDir(), 'demo', 'images'), projectDir: path.join(dataDir, 'reimport') })
  expect((await waitForJob(api, created.importJob.id)).state).toBe('done')
  const imported = await waitForJob(api, (await api.call('exchange:import', { format: 'coco', path: cocoFile })).id)
  expect(imported.state).toBe('done')
  const again = new Map<string, string>()
  for (const item of (await api.call('image:list', { offset: 0, limit: 100 })).items) {
    for (const annotation of (await api.call('image:get', { imageId: item.id })).annotations) again.set(item.fileName, annotation.mask!.counts)
  }
  expect(again).toEqual(reviewed)
  await studio.close()
}

describe('the workflow through the contract', () => {
  it('runs in-process', () => workflow('in-process'), 240_000)
  it('runs through the browser-mode server', () => workflow('http'), 240_000)
})
