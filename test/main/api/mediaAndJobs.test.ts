/**
 * Image serving confined to the open project (by id, never by path) and propagation as a
 * background job: one at a time per project, cancellable, resumed after a restart.
 */
import { cpSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mediaPath } from '../../../src/common/ipc/media'
import { demoPhotos, renderDemoPhoto } from '../../../src/common/synthetic'
import { resolveMedia } from '../../../src/main/api/media'
import { createStudioCore, type StudioCore } from '../../../src/main/api/studioCore'
import { mediaRoute } from '../../../src/main/server/mediaRoute'
import { startStudioServer, type StudioServer } from '../../../src/main/server/server'
import { TOKEN_HEADER } from '../../../src/main/server/auth'
import { resourcesDir } from '../../../src/main/services/system/paths'
import { inProcessClient, waitForJob, type StudioClient } from './workflowClients'

const DEMO = path.join(resourcesDir(), 'demo', 'images')

async function markReference(api: StudioClient): Promise<number> {
  const [category] = await api.call('category:list', {})
  const page = await api.call('image:list', { offset: 0, limit: 100 })
  const imageId = page.items.find((item) => item.fileName === 'photo-00.jpg')!.id
  const scene = renderDemoPhoto(demoPhotos()[0]!)
  const index = scene.instanceMasks[0]!.findIndex((v, i) => v === 1 && i > scene.instanceMasks[0]!.length / 3)
  const preview = await api.call('segment:preview', { requestId: 1, imageId, points: [{ x: index % scene.width, y: Math.floor(index / scene.width), positive: true }] })
  const annotation = await api.call('segment:commit', { previewId: preview.previewId, candidate: preview.recommended, categoryId: category!.id })
  await api.call('annotation:setReference', { annotationId: annotation.id, isReference: true })
  return category!.id
}

describe('media by id, confined to the open project', () => {
  let core: StudioCore
  let server: StudioServer
  let otherProjectDir: string
  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'media-'))
    core = await createStudioCore({ host: 'browser', dataDir, log: () => {} })
    // A second project with only three photos: its ids 1..3 exist, the demo's 4..12 do not.
    const small = path.join(dataDir, 'small-images')
    cpSync(DEMO, small, { recursive: true, filter: (file) => !/photo-(0[3-9]|1\d)\.jpg$/.test(file) })
    otherProjectDir = path.join(dataDir, 'small-project')
    const created = await core.dispatch('project:create', { imagesRoot: small, projectDir: otherProjectDir }, { transport: 'in-process' })
    if (!created.ok) throw new Error(created.error.message)
    await waitForJob(inProcessClient(core), (created.value as { importJob: { id: string } }).importJob.id)
    server = await startStudioServer({ dispatch: core.dispatch, events: core.events, rendererDir: mkdtempSync(path.join(tmpdir(), 'r-')), routes: [mediaRoute(core.context)] })
  })
  afterAll(async () => {
    await server.close()
    await core.close()
  })

  const get = (pathname: string) => fetch(`${server.url}${pathname}`, { headers: { [TOKEN_HEADER]: server.token } })
  /** The absolute media path of an image of the open project, as the renderer builds it. */
  const media = (imageId: number, kind: 'preview' | 'thumb'): string => {
    const image = core.context.current!.project.images.get(imageId)!
    return `/${mediaPath(image, kind)}`
  }

  it('serves previews and thumbnails of the open project as JPEG, oriented and bounded', async () => {
    const thumb = await get(media(1, 'thumb'))
    expect(thumb.status).toBe(200)
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()
    expect(meta.format).toBe('jpeg')
    expect(Math.max(meta.width!, meta.height!)).toBe(256)
    const preview = await get(media(1, 'preview'))
    const previewMeta = await sharp(Buffer.from(await preview.arrayBuffer())).metadata()
    expect([previewMeta.width, previewMeta.height]).toEqual([800, 600])
  })

  it('refuses ids of images not in the open project, path-like ids and other kinds', async () => {
    const fingerprint = media(1, 'thumb').split('/')[4]!
    for (const pathname of [
      `/media/image/4/${fingerprint}/preview`,
      `/media/image/0/${fingerprint}/thumb`,
      `/media/image/-1/${fingerprint}/thumb`,
      `/media/image/1.5/${fingerprint}/thumb`,
      `/media/image/1/${fingerprint}/original`,
      '/media/image/1/thumb',
      `/media/image/..%2F..%2Fproject.sqlite/${fingerprint}/thumb`,
      `/media/image/1/${fingerprint}/../../../etc/passwd`,
      `/media/image/99999999999999999999/${fingerprint}/thumb`,
      `/media/${encodeURIComponent(path.join(DEMO, 'photo-00.jpg'))}`,
    ]) {
      const response = await get(pathname)
      expect(response.status, pathname).toBe(404)
      expect(response.headers.get('content-type')).not.toBe('image/jpeg')
    }
    expect(await resolveMedia(core.context, `/media/image/4/${fingerprint}/thumb`)).toBeNull()
    expect(await resolveMedia(core.context, media(1, 'thumb'))).not.toBeNull()
  })

  it('refuses media without the token or from another origin', async () => {
    expect((await fetch(`${server.url}${media(1, 'thumb')}`)).status).toBe(403)
    const foreign = await fetch(`${server.url}${media(1, 'thumb')}`, { headers: { [TOKEN_HEADER]: server.token, origin: 'http://evil.example' } })
    expect(foreign.status).toBe(403)
  })

  it('serves nothing once the project is closed', async () => {
    const thumb = media(1, 'thumb')
    await core.dispatch('project:close', {}, { transport: 'in-process' })
    expect((await get(thumb)).status).toBe(404)
    await core.dispatch('project:open', { projectDir: otherProjectDir }, { transport: 'in-process' })
    expect((await get(thumb)).status).toBe(200)
  })
})

describe('propagation as a background job', () => {
  it('runs one at a time per project, cancels, and resumes after a restart without redoing images', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'jobs-'))
    let core = await createStudioCore({ host: 'cli', dataDir, log: () => {} })
    let api = inProcessClient(core)
    const demo = await api.call('project:openDemo', {})
    const categoryId = await markReference(api)

    const first = await api.call('propagation:start', { categoryId, method: 'persam', scope: 'unlabeled' })
    await expect(api.call('propagation:start', { categoryId, method: 'persam', scope: 'unlabeled' })).rejects.toMatchObject({ code: 'conflict' })
    // Stop it after the first stored proposal, as a crash would: close the whole studio.
    await expect.poll(() => api.eventsOf('proposal:added').length, { timeout: 60_000 }).toBeGreaterThan(0)
    await core.close()
    core = await createStudioCore({ host: 'cli', dataDir, log: () => {} })
    api = inProcessClient(core)
    // Reopening resumes the interrupted job with only its pending images (once the file check passed).
    await api.call('project:open', { projectDir: demo.projectDir })
    const propagations = async () => (await api.call('job:list', {})).filter((job) => job.kind === 'propagation')
    await expect.poll(async () => (await propagations()).length, { timeout: 30_000 }).toBe(1)
    const [resumed] = await propagations()
    const done = await waitForJob(api, resumed!.id)
    expect(done.state).toBe('done')
    const report = done.report as { images: number }
    expect(report.images).toBeGreaterThan(0)
    expect(report.images).toBeLessThan(11)
    // Every unlabeled image got exactly one result across both runs: no image was done twice.
    const page = await api.call('image:list', { offset: 0, limit: 100, categoryId })
    expect(page.imageCounts.unlabeled).toBe(0)
    const perImage = await Promise.all(page.items.map((item) => api.call('image:get', { imageId: item.id })))
    for (const detail of perImage) expect(detail.annotations.filter((a) => a.source !== 'manual').length).toBeLessThanOrEqual(2)
    expect(first.state).toBe('running')

    // A cancelled job stops and leaves the remaining images for later.
    await api.call('annotation:list', { categoryId })
    const again = await api.call('propagation:start', { categoryId, method: 'persam-f', scope: 'all' })
    await api.call('job:cancel', { jobId: again.id })
    expect((await waitForJob(api, again.id)).state).toBe('cancelled')
    await core.close()
    expect(readdirSync(dataDir)).toContain('demo-project')
  }, 240_000)
})

describe('embeddings prepared ahead', () => {
  it('prefetch computes the next images in the worker, so their first click costs only a decoder run', async () => {
    const core = await createStudioCore({ host: 'cli', dataDir: mkdtempSync(path.join(tmpdir(), 'prefetch-')), log: () => {} })
    const api = inProcessClient(core)
    await api.call('project:openDemo', {})
    const page = await api.call('image:list', { offset: 0, limit: 100 })
    const [a, b, c] = page.items
    const first = await api.call('segment:preview', { requestId: 1, imageId: a!.id, points: [{ x: 10, y: 10, positive: true }] })
    expect(first.embeddingSource).toBe('encoder')
    expect((await api.call('segment:prefetch', { imageIds: [b!.id, c!.id] })).queued).toBe(2)
    const runtime = await core.context.models.runtime()
    const keyOf = (id: number) => core.context.requireSession().project.images.require(id).contentHash
    await expect.poll(() => runtime.hasEmbedding(keyOf(b!.id)) && runtime.hasEmbedding(keyOf(c!.id)), { timeout: 30_000 }).toBe(true)
    const next = await api.call('segment:preview', { requestId: 2, imageId: c!.id, points: [{ x: 10, y: 10, positive: true }] })
    expect(next.embeddingSource).toBe('memory')
    await core.close()
  })
})
