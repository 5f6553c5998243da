/**
 * Media URLs name the image's content: two projects whose images share ids but not pixels never
 * answer each other's URLs, through the browser-mode server and the studio:// handler alike,
 * and a URL that matches is immutable, carries an ETag and answers If-None-Match with 304.
 */
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mediaPath, type MediaKind } from '../../../src/common/ipc/media'
import type { ImageListItem } from '../../../src/common/ipc/types'
import { mediaReply, resolveMedia } from '../../../src/main/api/media'
import { createStudioCore, type StudioCore } from '../../../src/main/api/studioCore'
import { appRequestHandler } from '../../../src/main/electron/appRequests'
import { TOKEN_HEADER } from '../../../src/main/server/auth'
import { mediaRoute } from '../../../src/main/server/mediaRoute'
import { startStudioServer, type StudioServer } from '../../../src/main/server/server'
import { inProcessClient, waitForJob } from './workflowClients'

type Rgb = readonly [number, number, number]
const RED: Rgb = [220, 30, 30]
const BLUE: Rgb = [30, 60, 220]

let core: StudioCore
let server: StudioServer
let rendererDir: string
const projectDirs: Record<'red' | 'blue', string> = { red: '', blue: '' }

async function createProject(root: string, name: 'red' | 'blue', color: Rgb): Promise<void> {
  const images = path.join(root, `${name}-images`)
  mkdirSync(images, { recursive: true })
  await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: color[0], g: color[1], b: color[2] } } })
    .png()
    .toFile(path.join(images, 'photo.png'))
  projectDirs[name] = path.join(root, `${name}-project`)
  const created = await core.dispatch('project:create', { imagesRoot: images, projectDir: projectDirs[name] }, { transport: 'in-process' })
  if (!created.ok) throw new Error(created.error.message)
  await waitForJob(inProcessClient(core), (created.value as { importJob: { id: string } }).importJob.id)
}

async function open(name: 'red' | 'blue'): Promise<ImageListItem> {
  const opened = await core.dispatch('project:open', { projectDir: projectDirs[name] }, { transport: 'in-process' })
  if (!opened.ok) throw new Error(opened.error.message)
  const page = await core.dispatch('image:list', { offset: 0, limit: 10 }, { transport: 'in-process' })
  if (!page.ok) throw new Error(page.error.message)
  return (page.value as { items: ImageListItem[] }).items[0]!
}

const url = (image: ImageListItem, kind: MediaKind = 'preview'): string => `/${mediaPath(image, kind)}`
const get = (pathname: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${pathname}`, { headers: { [TOKEN_HEADER]: server.token, ...headers } })

async function meanColor(bytes: ArrayBuffer): Promise<Rgb> {
  const { data, info } = await sharp(Buffer.from(bytes)).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const sum = [0, 0, 0]
  for (let i = 0; i < data.length; i += 3) for (let c = 0; c < 3; c++) sum[c]! += data[i + c]!
  const pixels = info.width * info.height
  return [sum[0]! / pixels, sum[1]! / pixels, sum[2]! / pixels]
}

function expectColor(actual: Rgb, expected: Rgb): void {
  for (let c = 0; c < 3; c++) expect(Math.abs(actual[c]! - expected[c]!), `channel ${c} of ${actual.join(',')}`).toBeLessThan(12)
}

beforeAll(async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'media-urls-'))
  rendererDir = path.join(root, 'renderer')
  mkdirSync(rendererDir)
  core = await createStudioCore({ host: 'browser', dataDir: path.join(root, 'data'), log: () => {} })
  await createProject(root, 'red', RED)
  await createProject(root, 'blue', BLUE)
  server = await startStudioServer({ dispatch: core.dispatch, events: core.events, rendererDir, routes: [mediaRoute(core.context)] })
})

afterAll(async () => {
  await server?.close()
  await core?.close()
})

describe('media URLs carry the content fingerprint', () => {
  it('lists images with their content hash, and builds different URLs for the same id in two projects', async () => {
    const blue = await open('blue')
    const red = await open('red')
    expect(red.id).toBe(blue.id)
    expect(red.contentHash).toMatch(/^[0-9a-f]{64}$/)
    expect(red.contentHash).not.toBe(blue.contentHash)
    expect(url(red)).toBe(`/media/image/${red.id}/${red.contentHash.slice(0, 16)}/preview`)
    expect(url(red)).not.toBe(url(blue))
  })

  it("resolves only the open project's fingerprint", async () => {
    const blue = await open('blue')
    const red = await open('red')
    expect(await resolveMedia(core.context, url(red))).not.toBeNull()
    expect(await resolveMedia(core.context, url(blue))).toBeNull()
    expect(await resolveMedia(core.context, `/media/image/${red.id}/preview`)).toBeNull()
  })

  it("serves the open project's pixels, immutable with an ETag; another project's URL is a 404", async () => {
    const blue = await open('blue')
    const red = await open('red')
    const response = await get(url(red))
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toContain('immutable')
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{32}-preview"$/)
    expectColor(await meanColor(await response.arrayBuffer()), RED)

    const foreign = await get(url(blue))
    expect(foreign.status).toBe(404)
    expect(foreign.headers.get('cache-control')).toBe('no-store')
    expect(foreign.headers.get('content-type')).not.toBe('image/jpeg')

    await open('blue')
    expect((await get(url(red))).status).toBe(404)
    const now = await get(url(blue, 'thumb'))
    expect(now.status).toBe(200)
    expectColor(await meanColor(await now.arrayBuffer()), BLUE)
  })

  it('answers If-None-Match with 304 and no body when the tag matches, else with the image', async () => {
    const blue = await open('blue')
    const first = await get(url(blue))
    const etag = first.headers.get('etag')!
    const again = await get(url(blue), { 'if-none-match': etag })
    expect(again.status).toBe(304)
    expect(again.headers.get('etag')).toBe(etag)
    expect((await again.arrayBuffer()).byteLength).toBe(0)
    expect((await get(url(blue), { 'if-none-match': `"other", W/${etag}` })).status).toBe(304)
    const stale = await get(url(blue), { 'if-none-match': '"0000000000000000000000000000000-preview"' })
    expect(stale.status).toBe(200)
    // The thumbnail is other bytes: its tag differs.
    expect((await get(url(blue, 'thumb'))).headers.get('etag')).not.toBe(etag)
  })

  it('applies the same rules under studio://app/', async () => {
    const handler = appRequestHandler(rendererDir, (request) => mediaReply(core.context, request))
    const red = await open('red')
    const blue = await open('blue')
    const ok = await handler(new Request(`studio://app${url(blue)}`))
    expect(ok.status).toBe(200)
    expect(ok.headers.get('cache-control')).toContain('immutable')
    expectColor(await meanColor(await ok.arrayBuffer()), BLUE)
    const etag = ok.headers.get('etag')!
    expect(etag).toBe((await get(url(blue))).headers.get('etag'))
    const cached = await handler(new Request(`studio://app${url(blue)}`, { headers: { 'if-none-match': etag } }))
    expect(cached.status).toBe(304)
    expect((await handler(new Request(`studio://app${url(red)}`))).status).toBe(404)
    expect((await handler(new Request('studio://app/media/image/1/%E0%A4%A/preview'))).status).toBe(400)
  })
})
