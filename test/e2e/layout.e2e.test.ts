/**
 * The workspace fits common desktop sizes: at 1280x720, 1440x900 and 1920x1080 the toolbar, the
 * prompt hint, the review bar and the image-list rows neither overflow nor wrap, and the canvas
 * keeps its place when a job's progress bar appears. Screenshots go to test-artifacts/layout-*.png.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openStudioPage, screenshot, startStudio, type StudioUnderTest } from './harness'
import { addProposal, openDemo, type DemoSeed } from './seed'

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
] as const

let studio: StudioUnderTest
let browser: Browser
let page: Page
let seed: DemoSeed

beforeAll(async () => {
  studio = await startStudio()
  browser = await launchBrowser({ showScrollbars: true })
  ;({ page } = await openStudioPage(browser))
  seed = await openDemo(studio, page)
  // The widest badges and counts: "To review", "12 ann.", "min 0.42"; "proposal 1 of 12" in review.
  const [, second, third] = seed.imageIds
  for (let i = 0; i < 11; i++) await addProposal(studio, seed, second!, { x: 20 + 30 * i, y: 40, width: 24, height: 60 }, 0.99)
  await addProposal(studio, seed, second!, { x: 200, y: 150, width: 90, height: 70 }, 0.42)
  await addProposal(studio, seed, third!, { x: 60, y: 60, width: 100, height: 80 }, 0.65)
  await page.reload()
  await page.getByTestId('workspace').waitFor()
  await page.locator('[data-testid="image-row"][data-state="to-review"]').first().waitFor()
})

afterAll(async () => {
  await browser?.close()
  await studio?.close()
})

/**
 * What does not fit in the elements matching `selector`: content wider than the box, children
 * on more than one row or past the right edge, and (with `lines`) descendants taller than one
 * line of text. Plain JavaScript run in the page (the tests are type-checked without the DOM).
 */
const MISFITS_SCRIPT = `({ selector, lines }) => {
  const problems = []
  const elements = [...document.querySelectorAll(selector)]
  if (elements.length === 0) problems.push(selector + ': not on the page')
  for (const element of elements) {
    const name = selector + ' "' + (element.textContent || '').slice(0, 40) + '"'
    if (element.scrollWidth > element.clientWidth) problems.push(name + ': content ' + element.scrollWidth + 'px wide in ' + element.clientWidth + 'px')
    const box = element.getBoundingClientRect()
    const middles = []
    for (const child of element.children) {
      const rect = child.getBoundingClientRect()
      if (rect.width === 0) continue
      middles.push(rect.top + rect.height / 2)
      if (rect.right > box.right + 0.5) problems.push(name + ': "' + (child.textContent || '').slice(0, 30) + '" ends ' + Math.round(rect.right - box.right) + 'px past the edge')
    }
    if (middles.length > 1 && Math.max(...middles) - Math.min(...middles) > 4) problems.push(name + ': children on several rows')
    if (!lines) continue
    for (const part of element.querySelectorAll(lines)) {
      const style = getComputedStyle(part)
      const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.4
      const height = part.getBoundingClientRect().height
      if (height > lineHeight * 1.5) problems.push(name + ': "' + part.textContent + '" is ' + Math.round(height) + 'px tall, more than one line')
    }
  }
  return problems
}`

async function misfits(selector: string, lines?: string): Promise<string[]> {
  return (await page.evaluate(`(${MISFITS_SCRIPT})(${JSON.stringify({ selector, lines: lines ?? null })})`)) as string[]
}

describe('the workspace layout', () => {
  for (const size of SIZES) {
    it(`fits the toolbar, the hint, the review bar and the image rows at ${size.width}x${size.height}`, async () => {
      await page.setViewportSize(size)
      await page.getByTestId('toolbar').waitFor()
      if (await page.getByTestId('review-bar').isVisible()) await page.keyboard.press('Shift+R')
      await page.getByTestId('review-bar').waitFor({ state: 'detached' })
      const problems = [
        ...(await misfits('[data-testid="toolbar"]')),
        ...(await misfits('[data-testid="prompt-hint"]')),
        ...(await misfits('[data-testid="image-row"] .image-row__meta', '*')),
        ...(await misfits('[data-testid="image-row"]')),
      ]
      await page.getByTestId('toggle-review').click()
      await page.locator('[data-testid="review-bar"]:not([data-annotation-id=""])').waitFor()
      // The image with twelve proposals: the longest position text.
      await page.getByTestId('review-position').filter({ hasText: 'of 12' }).waitFor()
      await screenshot(page, `layout-${size.width}x${size.height}-review`)
      problems.push(...(await misfits('[data-testid="review-bar"]')), ...(await misfits('[data-testid="review-bar"] .review-bar__actions')))
      expect(problems).toEqual([])
      await page.getByTestId('toggle-review').click()
      await page.getByTestId('review-bar').waitFor({ state: 'detached' })
    })
  }

  it('keeps the canvas in place when a job starts and ends', async () => {
    await page.setViewportSize(SIZES[0])
    const [first] = seed.imageIds
    const reference = await studio.call('annotation:stroke', { imageId: first!, categoryId: seed.categoryId, mode: 'brush', points: [{ x: 120, y: 120 }, { x: 160, y: 140 }], radius: 20 })
    await studio.call('annotation:setReference', { annotationId: reference.id, isReference: true })
    const before = await page.getByTestId('canvas').boundingBox()
    const job = await studio.call('propagation:start', { categoryId: seed.categoryId, method: 'persam', scope: 'unlabeled', maxInstances: 1 })
    await page.getByTestId('job').waitFor()
    const during = await page.getByTestId('canvas').boundingBox()
    await screenshot(page, 'layout-1280x720-job')
    await studio.call('job:cancel', { jobId: job.id })
    await page.getByTestId('job').waitFor({ state: 'detached' })
    const after = await page.getByTestId('canvas').boundingBox()
    expect(during).toEqual(before)
    expect(after).toEqual(before)
  })
})
