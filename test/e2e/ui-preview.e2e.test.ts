/**
 * The whole workflow in Chromium, driven like a user would, against the in-memory fake core
 * (the studio API is still being written): open the demo, segment with a click, use it as
 * reference, propagate with PerSAM-F, review every proposal with the keyboard (accept, reject,
 * absent, a click correction, a brush correction), undo and redo, export. The core's side of
 * propagation and export is played by the test. Screenshots of each stage go to test-artifacts/.
 */
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeStudio, type FakeStudioUnderTest } from './fakeCore'
import { launchBrowser, screenshot } from './harness'

let studio: FakeStudioUnderTest
let browser: Browser
let page: Page
const consoleErrors: string[] = []

beforeAll(async () => {
  studio = await startFakeStudio(path.resolve('out/renderer'))
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text())
  })
  page.on('pageerror', (error) => consoleErrors.push(error.message))
})

afterAll(async () => {
  await browser?.close()
  await studio?.close()
})

/** Page coordinates of an image pixel, from the camera the canvas publishes. */
async function pageXY(x: number, y: number): Promise<{ x: number; y: number }> {
  const canvas = page.getByTestId('canvas')
  const box = (await canvas.boundingBox())!
  const [cx, cy, zoom] = (await canvas.getAttribute('data-camera'))!.split(' ').map(Number) as [number, number, number]
  return { x: box.x + cx + x * zoom, y: box.y + cy + y * zoom }
}

/** Centre of the target object's first instance in image `imageId` (the image centre when it has none). */
function objectCentre(imageId: number): { x: number; y: number } {
  const scene = studio.scenes.get(imageId)!
  const mask = scene.instanceMasks[0]
  if (!mask) return { x: scene.width / 2, y: scene.height / 2 }
  let sx = 0
  let sy = 0
  let n = 0
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue
    sx += i % scene.width
    sy += Math.floor(i / scene.width)
    n++
  }
  return { x: sx / n, y: sy / n }
}

async function clickImage(x: number, y: number, options: { button?: 'left' | 'right' } = {}): Promise<void> {
  const at = await pageXY(x, y)
  await page.mouse.click(at.x, at.y, options)
}

async function settled(): Promise<void> {
  await page.locator('[data-testid="prompt-hint"][data-pending="false"]').waitFor()
}

async function reviewedAnnotationId(): Promise<number> {
  return Number(await page.getByTestId('review-bar').getAttribute('data-annotation-id'))
}

describe('the studio UI in Chromium, against the in-memory fake core', () => {
  it('opens the demo project from the welcome screen', async () => {
    await page.goto(studio.server.launchUrl)
    await page.getByTestId('status-bar').and(page.locator('[data-ready="true"]')).waitFor()
    await expect(page.getByTestId('toy-model-warning').isVisible()).resolves.toBe(true)
    await screenshot(page, 'ui-01-welcome')
    await page.getByTestId('welcome-open-demo').click()
    await page.locator('[data-testid="canvas"][data-image-state="ready"]').waitFor()
    await expect(page.getByTestId('image-row').count()).resolves.toBe(8)
    await screenshot(page, 'ui-02-workspace')
  })

  it('segments the object with a click and commits it with Enter', async () => {
    const centre = objectCentre(1)
    await clickImage(centre.x, centre.y)
    await settled()
    const [request] = studio.fake.requestsTo('segment:preview')
    expect(request?.imageId).toBe(1)
    expect(Math.abs(request!.points[0]!.x - centre.x)).toBeLessThan(1)
    expect(Math.abs(request!.points[0]!.y - centre.y)).toBeLessThan(1)
    expect(request!.points[0]!.positive).toBe(true)
    await screenshot(page, 'ui-03-preview')
    await page.keyboard.press('Enter')
    await page.getByTestId('annotation-row').waitFor()
    expect(studio.fake.requestsTo('segment:commit')).toHaveLength(1)
  })

  it('uses it as reference (R) and propagates with PerSAM-F, showing progress', async () => {
    await page.keyboard.press('r')
    await page.locator('[data-testid="annotation-row"][data-reference="true"]').waitFor()
    await page.keyboard.press('p')
    await page.getByTestId('propagate-dialog').waitFor()
    await page.getByTestId('method-persam-f').check()
    await screenshot(page, 'ui-04-propagate-dialog')
    await page.getByTestId('propagate-start').click()
    await page.getByTestId('job').waitFor()
    const [start] = studio.fake.requestsTo('propagation:start')
    expect(start).toMatchObject({ categoryId: 1, method: 'persam-f', scope: 'unlabeled', maxInstances: 1 })
    const job = [...studio.fake.jobs.values()].find((j) => j.kind === 'propagation')!
    studio.fake.emit('job:progress', { ...job, done: 3, total: 7, rate: 1.6, etaSeconds: 2.5 })
    await page.getByTestId('job-count').filter({ hasText: '3 / 7' }).waitFor()
    await screenshot(page, 'ui-05-propagating')
    const scores: Record<number, number> = { 2: 0.91, 3: 0.42, 4: 0.77, 5: 0.18, 6: 0.64, 7: 0.55, 8: 0.83 }
    const masks = Object.fromEntries(Object.keys(scores).flatMap((id) => (studio.instanceMask(Number(id)) ? [[id, studio.instanceMask(Number(id))!]] : [])))
    studio.fake.runPropagation(job.id, scores, masks)
    await page.getByTestId('job').waitFor({ state: 'detached' })
    await page.locator('[data-testid="filter-to-review"]', { hasText: '7' }).waitFor()
    await expect(page.locator('[data-testid="image-row"][data-state="to-review"]').count()).resolves.toBe(7)
  })

  it('reviews every proposal with the keyboard, least confident first, with a click and a brush correction', async () => {
    await page.keyboard.press('Shift+R')
    await page.locator('[data-testid="review-bar"]:not([data-annotation-id=""])').waitFor()
    const order: string[] = []
    const score = async () => (await page.getByTestId('review-score').textContent()) ?? ''
    const waitForNext = (previous: number) => page.locator(`[data-testid="review-bar"]:not([data-annotation-id="${previous}"])`).waitFor()

    order.push(await score()) // 0.18: accept
    await screenshot(page, 'ui-06-review')
    let current = await reviewedAnnotationId()
    await page.keyboard.press('Enter')
    await waitForNext(current)

    order.push(await score()) // 0.42: reject
    current = await reviewedAnnotationId()
    await page.keyboard.press('x')
    await waitForNext(current)

    order.push(await score()) // 0.55: correct with a click, then Enter commits the correction
    current = await reviewedAnnotationId()
    const centre = objectCentre(7)
    await clickImage(centre.x + 5, centre.y + 5)
    await settled()
    await screenshot(page, 'ui-07-review-correction')
    await page.keyboard.press('Enter')
    await waitForNext(current)
    expect(studio.fake.annotations.get(current)?.status).toBe('edited')
    const corrections = studio.fake.requestsTo('segment:preview').filter((r) => r.maskInput !== undefined)
    expect(corrections.map((r) => r.maskInput)).toEqual([{ annotationId: current }])

    order.push(await score()) // 0.64: correct with the brush, then Enter moves on
    current = await reviewedAnnotationId()
    await page.keyboard.press('b')
    const from = await pageXY(100, 100)
    const to = await pageXY(180, 140)
    await page.mouse.move(from.x, from.y)
    await page.mouse.down()
    await page.mouse.move(to.x, to.y, { steps: 8 })
    await page.mouse.up()
    await page.locator(`[data-testid="annotation-row"][data-annotation-id="${current}"][data-status="edited"]`).waitFor()
    const [stroke] = studio.fake.requestsTo('annotation:stroke')
    expect(stroke?.mode).toBe('brush')
    expect(stroke!.points.length).toBeGreaterThan(2)
    expect(Math.abs(stroke!.points[0]!.x - 100)).toBeLessThan(1)
    expect(Math.abs(stroke!.points.at(-1)!.x - 180)).toBeLessThan(1)
    await page.keyboard.press('s')
    await page.keyboard.press('Enter')
    await waitForNext(current)

    order.push(await score()) // 0.77: absent
    current = await reviewedAnnotationId()
    await page.keyboard.press('a')
    await waitForNext(current)

    order.push(await score()) // 0.83, 0.91: accept with Space
    current = await reviewedAnnotationId()
    await page.keyboard.press('Space')
    await waitForNext(current)
    order.push(await score())
    await page.keyboard.press('Space')
    await page.locator('[data-testid="review-bar"][data-finished="true"]').waitFor()

    expect(order).toEqual(['0.18', '0.42', '0.55', '0.64', '0.77', '0.83', '0.91'])
    const statuses = [...studio.fake.annotations.values()].filter((a) => a.source === 'persam-f').map((a) => [a.score, a.status])
    expect(Object.fromEntries(statuses)).toEqual({ 0.18: 'accepted', 0.42: 'rejected', 0.55: 'edited', 0.64: 'edited', 0.77: 'absent', 0.83: 'accepted', 0.91: 'accepted' })
    await screenshot(page, 'ui-08-review-finished')
  })

  it('undoes and redoes with Ctrl+Z and Ctrl+Shift+Z', async () => {
    const last = [...studio.fake.annotations.values()].find((a) => a.score === 0.91)!
    await page.keyboard.press('Control+z')
    await expect.poll(() => studio.fake.annotations.get(last.id)?.status).toBe('proposed')
    await page.keyboard.press('Control+Shift+Z')
    await expect.poll(() => studio.fake.requestsTo('history:redo').length).toBe(1)
    await expect.poll(() => studio.fake.annotations.get(last.id)?.status).toBe('accepted')
    expect(studio.fake.requestsTo('history:undo')).toHaveLength(1)
    expect(studio.fake.requestsTo('history:redo')).toHaveLength(1)
  })

  it('exports COCO and shows the result summary', async () => {
    await page.keyboard.press('Shift+R')
    await page.getByTestId('open-export').click()
    await page.getByTestId('export-dialog').waitFor()
    await page.getByTestId('export-path').fill('/tmp/studio-export/annotations.json')
    await page.getByTestId('export-start').click()
    await expect.poll(() => studio.fake.requestsTo('exchange:export').length).toBe(1)
    expect(studio.fake.requestsTo('exchange:export')[0]).toEqual({
      format: 'coco',
      path: '/tmp/studio-export/annotations.json',
      statuses: ['accepted', 'edited'],
      cocoSegmentation: 'rle',
      pngMode: 'instance',
    })
    const job = [...studio.fake.jobs.values()].find((j) => j.kind === 'export')!
    studio.fake.finishJob(job.id, { path: '/tmp/studio-export/annotations.json', images: 6, annotations: 5, warnings: [] })
    await page.getByTestId('export-summary').waitFor()
    await expect(page.getByTestId('export-summary').textContent()).resolves.toContain('Exported 5 annotations from 6 images')
    await screenshot(page, 'ui-09-export')
  })

  it('lists the shortcuts in the help overlay, and logged no errors', async () => {
    await page.keyboard.press('Escape')
    await page.keyboard.press('?')
    await page.getByTestId('help-overlay').waitFor()
    await expect(page.getByTestId('help-overlay').textContent()).resolves.toContain('Ctrl+Shift+Z')
    await screenshot(page, 'ui-10-help')
    await page.keyboard.press('Escape')
    await page.getByTestId('help-overlay').waitFor({ state: 'detached' })
    expect(consoleErrors.filter((e) => !e.includes('mask core'))).toEqual([])
  })
})
