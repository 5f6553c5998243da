/**
 * The whole workflow in Chromium against the real studio (core, SQLite store, toy SAM model,
 * PerSAM-F), driven as a new user would: open the demo project, segment the object with a click,
 * use it as reference (R), propagate with PerSAM-F (P), review every proposal with the keyboard
 * (accept, reject, a click correction, a brush correction, absent), undo and redo, export COCO and
 * read the file back. Screenshots of each stage go to test-artifacts/ui-*.png.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AnnotationInfo, AnnotationSummary } from '../../src/common/ipc/types'
import { decodeRle, decompressRle, maskIou } from '../../src/common/mask'
import { demoObjectIn } from '../helpers/demoObjects'
import { launchBrowser, openStudioPage, screenshot, startStudio, type StudioUnderTest } from './harness'
import type { PageApi } from './pageApi'
import { clickImage, dragImage, imageShown, previewSettled } from './studioPage'
import { DEFAULT_ABSENT_THRESHOLD } from '../../src/common/persam/confidence'

let studio: StudioUnderTest
let browser: Browser
let page: Page
let api: PageApi
let consoleErrors: string[]

beforeAll(async () => {
  studio = await startStudio()
  browser = await launchBrowser()
  ;({ page, api, consoleErrors } = await openStudioPage(browser))
})

afterAll(async () => {
  await browser?.close()
  await studio?.close()
})

const maskOf = (rle: { size: readonly [number, number]; counts: string }) => decodeRle(decompressRle(rle))

/** What the studio stores about an annotation (past the UI). */
async function stored(annotationId: number): Promise<AnnotationInfo> {
  const all = await studio.call('annotation:list', { statuses: ['proposed', 'accepted', 'rejected', 'edited', 'absent'], limit: 5000 })
  const summary = all.items.find((a) => a.id === annotationId)
  if (!summary) throw new Error(`annotation ${annotationId} is not stored`)
  const detail = await studio.call('image:get', { imageId: summary.imageId })
  return detail.annotations.find((a) => a.id === annotationId)!
}

async function fileNameOf(imageId: number): Promise<string> {
  return (await studio.call('image:get', { imageId })).image.fileName
}

async function reviewedId(): Promise<number> {
  return Number(await page.getByTestId('review-bar').getAttribute('data-annotation-id'))
}

/** Waits until the review has moved past `previous`, to the next proposal or to its end. */
async function movedOn(previous: number): Promise<void> {
  await page.locator(`[data-testid="review-bar"]:not([data-annotation-id="${previous}"])`).waitFor()
}

let categoryId = 0
let referenceId = 0
/** The proposals as the core queued them, least confident first. */
let queue: AnnotationSummary[] = []

describe('the studio in Chromium, against the real studio core', () => {
  it('opens the demo project from the welcome screen', async () => {
    await page.goto(studio.server.launchUrl)
    await page.getByTestId('status-bar').and(page.locator('[data-ready="true"]')).waitFor()
    await page.getByTestId('toy-model-warning').waitFor()
    await screenshot(page, 'ui-01-welcome')

    await page.getByTestId('welcome-open-demo').click()
    await page.getByTestId('workspace').waitFor()
    await expect.poll(() => page.getByTestId('image-row').count()).toBe(12)
    const first = await studio.call('image:list', { offset: 0, limit: 1 })
    await imageShown(page, first.items[0]!.id)
    await expect(page.getByTestId('filter-unlabeled').textContent()).resolves.toContain('12')
    const [category] = await studio.call('category:list', {})
    expect(category?.name).toBe('kite')
    categoryId = category!.id
    await expect(page.locator('[data-testid="category-row"]').textContent()).resolves.toContain('kite')
    await screenshot(page, 'ui-02-workspace')
  })

  it('segments the object with one click and commits it with Enter', async () => {
    const image = (await studio.call('image:list', { offset: 0, limit: 1 })).items[0]!
    expect(image.fileName).toBe('photo-00.jpg')
    const object = demoObjectIn('photo-00.jpg')!
    await clickImage(page, object.x, object.y)
    await previewSettled(page)
    await page.locator('[data-testid="canvas"]:not([data-preview-request=""])').waitFor()

    const [request] = api.requests('segment:preview')
    expect(request).toMatchObject({ imageId: image.id, points: [{ positive: true }] })
    expect(Math.abs(request!.points[0]!.x - (object.x + 0.5))).toBeLessThan(1)
    expect(Math.abs(request!.points[0]!.y - (object.y + 0.5))).toBeLessThan(1)
    const [preview] = api.answers('segment:preview')
    const shown = preview!.candidates[preview!.recommended]!
    expect(maskIou(maskOf(shown.mask), object.truth)).toBeGreaterThan(0.8)
    await screenshot(page, 'ui-03-preview')

    await page.keyboard.press('Enter')
    await page.locator('[data-testid="annotation-row"][data-status="accepted"]').waitFor()
    const [commit] = api.answers('segment:commit')
    expect(commit).toMatchObject({ status: 'accepted', source: 'manual', imageId: image.id, categoryId })
    expect((await stored(commit!.id)).mask?.counts).toBe(shown.mask.counts)
    referenceId = commit!.id
  })

  it('uses it as reference (R) and propagates with PerSAM-F (P), showing progress', async () => {
    await page.keyboard.press('r')
    await page.locator(`[data-testid="annotation-row"][data-annotation-id="${referenceId}"][data-reference="true"]`).waitFor()
    expect((await stored(referenceId)).isReference).toBe(true)
    await screenshot(page, 'ui-04-reference')

    await page.keyboard.press('p')
    await page.getByTestId('propagate-dialog').waitFor()
    await page.getByTestId('method-persam-f').check()
    await screenshot(page, 'ui-05-propagate-dialog')
    await page.getByTestId('propagate-start').click()
    await page.getByTestId('job').waitFor()
    // Proposals show up in the list while the job runs.
    await page.getByTestId('job-count').filter({ hasText: /^([3-9]|10) \/ 11$/ }).waitFor({ timeout: 90_000 })
    await page.locator('[data-testid="image-row"][data-state="to-review"]').first().waitFor()
    await screenshot(page, 'ui-06-propagating')
    // The dialog sends the absent threshold it shows (the engine's default unless changed).
    expect(api.requests('propagation:start')).toEqual([{ categoryId, method: 'persam-f', scope: 'unlabeled', maxInstances: 1, absentThreshold: DEFAULT_ABSENT_THRESHOLD }])

    // The job ends; its bar goes, the list shows the images waiting for review.
    await page.getByTestId('job').waitFor({ state: 'detached', timeout: 120_000 })
    const [job] = (await studio.call('job:list', {})).filter((j) => j.kind === 'propagation')
    expect(job).toMatchObject({ state: 'done', done: 11, total: 11 })
    const report = job!.report as { proposals: number; absent: number }
    queue = (await studio.call('annotation:list', { categoryId, statuses: ['proposed'], order: 'score' })).items.slice()
    expect(queue.length).toBe(report.proposals)
    expect(queue.length).toBeGreaterThanOrEqual(6)
    const toReview = new Set(queue.map((a) => a.imageId)).size
    await page.locator('[data-testid="filter-to-review"]', { hasText: String(toReview) }).waitFor()
    await expect.poll(() => page.locator('[data-testid="image-row"][data-state="to-review"]').count()).toBe(toReview)
  })

  it('reviews every proposal with the keyboard, least confident first, correcting one with a click and one with the brush', async () => {
    await page.keyboard.press('Shift+R')
    await page.locator(`[data-testid="review-bar"][data-annotation-id="${queue[0]!.id}"]`).waitFor()
    const walked: number[] = []
    const decided = new Map<number, string>()

    for (const [index, proposal] of queue.entries()) {
      await page.locator(`[data-testid="review-bar"][data-annotation-id="${proposal.id}"]`).waitFor()
      await imageShown(page, proposal.imageId)
      walked.push(await reviewedId())
      await expect(page.getByTestId('review-score').textContent()).resolves.toBe(proposal.score!.toFixed(2))

      if (index === 0) {
        await page.locator('[data-testid="canvas"][data-mask-count="1"]').waitFor()
        await screenshot(page, 'ui-07-review')
        await page.keyboard.press('Enter')
        decided.set(proposal.id, 'accepted')
      } else if (index === 1) {
        await page.keyboard.press('x')
        decided.set(proposal.id, 'rejected')
      } else if (index === 2) {
        // A correction by click: SAM again from the proposal's own mask, then Enter stores it.
        const object = demoObjectIn(await fileNameOf(proposal.imageId))
        const target = object ?? { x: 300, y: 300 }
        await clickImage(page, target.x, target.y)
        await previewSettled(page)
        await page.locator('[data-testid="canvas"]:not([data-preview-request=""])').waitFor()
        expect(api.requests('segment:preview').at(-1)).toMatchObject({ imageId: proposal.imageId, maskInput: { annotationId: proposal.id } })
        await screenshot(page, 'ui-08-review-click-correction')
        await page.keyboard.press('Enter')
        decided.set(proposal.id, 'edited')
      } else if (index === 3) {
        // A correction with the brush (B): a stroke from the mask's edge outwards, then Enter goes on.
        const before = await stored(proposal.id)
        const [bx, by, bw, bh] = before.bbox!
        await page.keyboard.press('b')
        await dragImage(page, { x: bx + bw - 4, y: by + bh / 2 }, { x: bx + bw + 30, y: by + bh / 2 })
        await page.locator(`[data-testid="annotation-row"][data-annotation-id="${proposal.id}"][data-status="edited"]`).waitFor()
        const stroke = api.requests('annotation:stroke').at(-1)!
        expect(stroke).toMatchObject({ annotationId: proposal.id, mode: 'brush' })
        expect(stroke.points.length).toBeGreaterThan(2)
        expect((await stored(proposal.id)).area).toBeGreaterThan(before.area)
        await screenshot(page, 'ui-09-review-brush')
        await page.keyboard.press('s')
        await page.keyboard.press('Enter')
        decided.set(proposal.id, 'edited')
      } else if (index === 4) {
        await page.keyboard.press('a')
        decided.set(proposal.id, 'absent')
      } else {
        await page.keyboard.press('Space')
        decided.set(proposal.id, 'accepted')
      }
      if (index < queue.length - 1) await movedOn(proposal.id)
    }
    await page.locator('[data-testid="review-bar"][data-finished="true"]').waitFor()
    expect(walked).toEqual(queue.map((a) => a.id))
    for (const [id, status] of decided) expect((await stored(id)).status, `annotation ${id}`).toBe(status)
    await expect.poll(async () => (await page.getByTestId('filter-to-review').textContent())?.replace(/\D/g, '')).toBe('0')
    await screenshot(page, 'ui-10-review-finished')
  })

  it('undoes and redoes with Ctrl+Z, Ctrl+Shift+Z and Ctrl+Y', async () => {
    const last = queue.at(-1)!
    await page.keyboard.press('Control+z')
    await expect.poll(async () => (await stored(last.id)).status).toBe('proposed')
    await page.locator(`[data-testid="annotation-row"][data-annotation-id="${last.id}"][data-status="proposed"]`).waitFor()
    await screenshot(page, 'ui-11-undone')
    await page.keyboard.press('Control+Shift+Z')
    await expect.poll(async () => (await stored(last.id)).status).toBe('accepted')
    await page.keyboard.press('Control+z')
    await expect.poll(async () => (await stored(last.id)).status).toBe('proposed')
    await page.keyboard.press('Control+y')
    await expect.poll(async () => (await stored(last.id)).status).toBe('accepted')
    await page.locator(`[data-testid="annotation-row"][data-annotation-id="${last.id}"][data-status="accepted"]`).waitFor()
  })

  it('exports COCO and the file holds exactly the reviewed masks', async () => {
    await page.keyboard.press('Shift+R')
    await page.getByTestId('review-bar').waitFor({ state: 'detached' })
    await page.getByTestId('open-export').click()
    await page.getByTestId('export-dialog').waitFor()
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'studio-export-')), 'coco', 'kite.json')
    await page.getByTestId('export-path').fill(file)
    await page.getByTestId('export-start').click()
    await page.getByTestId('export-summary').waitFor()
    await screenshot(page, 'ui-12-export')

    const coco = JSON.parse(readFileSync(file, 'utf8')) as {
      categories: { id: number; name: string }[]
      images: { id: number; file_name: string; width: number; height: number }[]
      annotations: { image_id: number; category_id: number; segmentation: { size: [number, number]; counts: string }; area: number; bbox: number[]; iscrowd: number }[]
    }
    expect(coco.categories).toEqual([{ id: 1, name: 'kite', supercategory: '' }])
    expect(coco.images).toHaveLength(12)
    const reviewed = (await studio.call('annotation:list', { statuses: ['accepted', 'edited'], order: 'image' })).items
    // The reference, and the accepted and corrected proposals.
    expect(reviewed.length).toBe(1 + queue.length - 2)
    const expected = new Map<string, string[]>()
    for (const summary of reviewed) {
      const annotation = await stored(summary.id)
      const name = await fileNameOf(annotation.imageId)
      expected.set(name, [...(expected.get(name) ?? []), annotation.mask!.counts].sort())
    }
    const exported = new Map<string, string[]>()
    for (const annotation of coco.annotations) {
      const image = coco.images.find((i) => i.id === annotation.image_id)!
      expect(annotation.segmentation.size).toEqual([image.height, image.width])
      expect(annotation.category_id).toBe(1)
      expect(annotation.iscrowd).toBe(0)
      expect(annotation.area).toBeGreaterThan(0)
      exported.set(image.file_name, [...(exported.get(image.file_name) ?? []), annotation.segmentation.counts].sort())
    }
    expect(exported).toEqual(expected)
    await expect(page.getByTestId('export-summary').textContent()).resolves.toContain(`Exported ${reviewed.length} annotations`)
  })

  it('lists the shortcuts in the help overlay, and met no error on the way', async () => {
    await page.keyboard.press('Escape')
    await page.getByTestId('export-dialog').waitFor({ state: 'detached' })
    await page.keyboard.press('?')
    await page.getByTestId('help-overlay').waitFor()
    await expect(page.getByTestId('help-overlay').textContent()).resolves.toContain('Ctrl+Shift+Z')
    await screenshot(page, 'ui-13-help')
    await page.keyboard.press('Escape')
    await page.getByTestId('help-overlay').waitFor({ state: 'detached' })
    expect(consoleErrors).toEqual([])
    expect(api.failures()).toEqual([])
    await expect(page.locator('[data-testid="notice"][data-level="error"]').count()).resolves.toBe(0)
  })
})
