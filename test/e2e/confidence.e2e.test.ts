/**
 * The review confidence panel in Chromium against the real core: the histogram of the pending
 * proposals shows with its threshold and counts, "Accept all above X" accepts the confident ones
 * (the counts change), and one Ctrl+Z brings them all back.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AnnotationInfo } from '../../src/common/ipc/types'
import { launchBrowser, openStudioPage, screenshot, startStudio, type StudioUnderTest } from './harness'
import { addProposal, openDemo } from './seed'

let studio: StudioUnderTest
let browser: Browser
let page: Page
let consoleErrors: string[]
const proposals: AnnotationInfo[] = []

beforeAll(async () => {
  studio = await startStudio()
  browser = await launchBrowser()
  ;({ page, consoleErrors } = await openStudioPage(browser))
  const seed = await openDemo(studio, page)
  // Two sure proposals (0.95, 0.92) and two unsure ones (0.3, 0.6) on four photos.
  const scores = [0.95, 0.3, 0.92, 0.6]
  for (const [i, score] of scores.entries()) proposals.push(await addProposal(studio, seed, seed.imageIds[i]!, { x: 20, y: 20, width: 60, height: 40 }, score))
  await page.reload()
  await page.getByTestId('workspace').waitFor()
})

afterAll(async () => {
  await browser?.close()
  await studio?.close()
})

const text = (testId: string) => page.getByTestId(testId).textContent()
const statuses = async () => Promise.all(proposals.map(async (p) => (await studio.call('image:get', { imageId: p.imageId })).annotations.find((a) => a.id === p.id)!.status))

/** Waits until the element's text matches (the panel updates after the core answers). */
async function waitForText(testId: string, pattern: RegExp): Promise<void> {
  await page.getByTestId(testId).filter({ hasText: pattern }).waitFor()
}

describe('review confidence panel', () => {
  it('shows the histogram of pending proposals with the threshold and the counts above and below', async () => {
    await page.getByTestId('confidence-open').click()
    await page.getByTestId('confidence-histogram').waitFor()
    // The engine's confidence with its default threshold 0.78: two above, two below.
    await waitForText('confidence-counts', /Threshold 0\.78: 2 above, 2 below/)
    await expect(page.getByTestId('confidence-threshold').isVisible()).resolves.toBe(true)
    await expect(text('confidence-model')).resolves.toMatch(/engine's confidence · 0 decisions/)
    await expect(text('accept-all')).resolves.toBe('Accept 2')
    await screenshot(page, 'confidence-01-histogram')
  })

  it('accepts all above X as one step, the counts change, and one undo restores them', async () => {
    await page.getByTestId('accept-above').fill('0.5')
    await waitForText('accept-all', /^Accept 3$/)
    await expect(text('accept-all-estimate')).resolves.toMatch(/about 0\.5 of these 3 to be wrong/)
    await page.getByTestId('accept-all').click()
    await waitForText('confidence-counts', /0 above, 1 below/)
    expect(await statuses()).toEqual(['accepted', 'proposed', 'accepted', 'accepted'])
    await screenshot(page, 'confidence-02-accepted')

    await page.locator('body').click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('Control+z')
    await waitForText('confidence-counts', /2 above, 2 below/)
    expect(await statuses()).toEqual(['proposed', 'proposed', 'proposed', 'proposed'])
    expect(consoleErrors).toEqual([])
  })
})
