/**
 * folder:list (the browser-mode folder picker) shows only the user's home and the data folder,
 * symlinks resolved and re-checked; exchange:detect finds COCO files and PerSeg layouts by a cheap
 * sniff; project:create brings a folder's COCO annotations along in its import job.
 */
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AnnotationsFound, FolderListing } from '../../../src/common/ipc/types'
import { createStudioCore, type StudioCore } from '../../../src/main/api/studioCore'
import { resourcesDir } from '../../../src/main/services/system/paths'
import { inProcessClient, waitForJob } from './workflowClients'

let core: StudioCore
let dataDir: string
let outside: string

async function call(channel: string, payload: unknown) {
  return core.dispatch(channel, payload, { transport: 'in-process' })
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'browse-'))
  outside = mkdtempSync(path.join(tmpdir(), 'outside-'))
  mkdirSync(path.join(outside, 'secret'))
  mkdirSync(path.join(dataDir, 'photos', 'b'), { recursive: true })
  mkdirSync(path.join(dataDir, 'photos', 'a'))
  writeFileSync(path.join(dataDir, 'photos', 'labels.json'), '{}')
  writeFileSync(path.join(dataDir, 'photos', 'notes.txt'), 'x')
  symlinkSync(outside, path.join(dataDir, 'photos', 'escape'))
  symlinkSync(path.join(dataDir, 'photos', 'a'), path.join(dataDir, 'photos', 'inner-link'))
  core = await createStudioCore({ host: 'browser', dataDir, log: () => {} })
})
afterAll(() => core.close())

describe('folder:list', () => {
  it('lists the subfolders of a folder in the data folder, and the files asked for', async () => {
    const result = await call('folder:list', { path: path.join(dataDir, 'photos'), fileExtensions: ['.json'] })
    expect(result.ok).toBe(true)
    const listing = (result as { value: FolderListing }).value
    // The link to a folder outside is left out; the link inside is shown, resolved.
    expect(listing.folders).toEqual([
      { name: 'a', path: path.join(dataDir, 'photos', 'a') },
      { name: 'b', path: path.join(dataDir, 'photos', 'b') },
      { name: 'inner-link', path: path.join(dataDir, 'photos', 'a') },
    ])
    expect(listing.files).toEqual([{ name: 'labels.json', path: path.join(dataDir, 'photos', 'labels.json') }])
    expect(listing.parent).toBe(dataDir)
    expect(listing.roots).toContain(dataDir)
  })

  it('stops at the top of the data folder', async () => {
    const listing = (await call('folder:list', { path: dataDir })) as { ok: true; value: FolderListing }
    expect(listing.value.parent).toBe(homedir() !== '/' && dataDir.startsWith(homedir()) ? path.dirname(dataDir) : null)
  })

  it.each([
    ['/proc', 'a system folder'],
    ['/etc', 'a system folder'],
    ['OUTSIDE', 'a folder outside home and the data folder'],
    ['LINK', 'a symlink in the data folder that leads outside'],
    ['DOTDOT', 'a path that climbs out with ..'],
  ])('refuses %s (%s)', async (which) => {
    const target =
      which === 'OUTSIDE' ? outside : which === 'LINK' ? path.join(dataDir, 'photos', 'escape') : which === 'DOTDOT' ? path.join(dataDir, '..', path.basename(outside)) : which
    const result = await call('folder:list', { path: target })
    expect(result.ok).toBe(false)
    expect((result as { error: { code: string } }).error.code).toBe('unauthorized')
  })

  it('refuses a relative path and a missing folder with a sentence naming it', async () => {
    const relative = await call('folder:list', { path: 'photos' })
    expect(relative).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining('photos') } })
    const missing = await call('folder:list', { path: path.join(dataDir, 'nope') })
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found', message: expect.stringContaining('nope') } })
  })
})

describe('exchange:detect', () => {
  it('finds COCO files by their top-level keys and a PerSeg layout', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'detect-'))
    mkdirSync(path.join(dir, 'annotations'))
    writeFileSync(path.join(dir, 'annotations', 'instances.json'), JSON.stringify({ info: { images: 1 }, images: [], annotations: [], categories: [] }))
    // Nested keys do not count: this is not a COCO file.
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ settings: { images: [], annotations: [], categories: [] } }))
    writeFileSync(path.join(dir, 'list.json'), '[1, 2]')
    const found = (await call('exchange:detect', { path: dir })) as { ok: true; value: AnnotationsFound }
    expect(found.value).toEqual({ coco: [path.join(dir, 'annotations', 'instances.json')], perseg: false, davis: false })

    mkdirSync(path.join(dir, 'Images', 'dog'), { recursive: true })
    mkdirSync(path.join(dir, 'Annotations', 'dog'), { recursive: true })
    expect(((await call('exchange:detect', { path: dir })) as { value: AnnotationsFound }).value.perseg).toBe(true)
  })
})

describe('project:create with importAnnotations', () => {
  it('imports the images, then the COCO file, in one job', async () => {
    const images = mkdtempSync(path.join(tmpdir(), 'coco-images-'))
    cpSync(path.join(resourcesDir(), 'demo', 'images'), images, { recursive: true, filter: (f) => !/photo-(0[2-9]|1\d)\.jpg$/.test(f) })
    const api = inProcessClient(core)
    const first = await api.call('image:list', { offset: 0, limit: 1 }).catch(() => null)
    expect(first).toBeNull() // no project yet
    // The demo photos are 800x600 (checked by the import: a wrong size would skip the image).
    const coco = {
      images: [{ id: 7, file_name: 'photo-01.jpg', width: 800, height: 600 }],
      categories: [{ id: 3, name: 'kite' }],
      annotations: [{ id: 1, image_id: 7, category_id: 3, segmentation: [[10, 10, 60, 10, 60, 40, 10, 40]], area: 1500, bbox: [10, 10, 50, 30], iscrowd: 0 }],
    }
    const file = path.join(images, 'instances.json')
    writeFileSync(file, JSON.stringify(coco))
    const created = await api.call('project:create', { imagesRoot: images, projectDir: path.join(dataDir, 'with-coco'), importAnnotations: { format: 'coco', path: file } })
    const job = await waitForJob(api, created.importJob.id)
    expect(job.state).toBe('done')
    const page = await api.call('image:list', { offset: 0, limit: 10 })
    expect(page.items.map((i) => i.fileName).sort()).toEqual(['photo-00.jpg', 'photo-01.jpg'])
    const annotations = await api.call('annotation:list', { statuses: ['accepted'], order: 'image' })
    expect(annotations.items).toHaveLength(1)
    expect(page.items.find((i) => i.id === annotations.items[0]!.imageId)?.fileName).toBe('photo-01.jpg')
  })
})
