/**
 * The review confidence panel in Chromium against the real core: the histogram of the pending
 * proposals shows with its threshold and counts, "Accept all above X" accepts the confident ones
 * (the counts change), and one Ctrl+Z brings them all back. Then, with enough review decisions,
 * the propagate dialog sets the absent threshold for a chosen miss rate.
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
let seed: Awaited<ReturnType<typeof openDemo>>
const proposals: AnnotationInfo[] = []

beforeAll(async () => {
  studio = await startStudio()
  browser = await launchBrowser()
  ;({ page, consoleErrors } = await openStudioPage(browser))
  seed = await openDemo(studio, page)
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

  it('sets the absent threshold of the propagate dialog for a chosen miss rate once there are enough decisions', async () => {
    await page.getByTestId('confidence-close').click()
    // 16 decisions on the other photos: 8 accepted (scores 0.70..0.77), 8 rejected (0.20..0.27).
    const project = studio.core.context.current!.project
    for (let i = 0; i < 16; i++) {
      const proposal = await addProposal(studio, seed, seed.imageIds[4 + (i % 8)]!, { x: 10 + 80 * Math.floor(i / 8), y: 100, width: 50, height: 40 }, i < 8 ? 0.7 + i / 100 : 0.2 + (i - 8) / 100)
      project.annotations.setStatus([proposal.id], i < 8 ? 'accepted' : 'rejected')
    }
    await page.keyboard.press('p')
    await page.getByTestId('propagate-dialog').waitFor()
    await expect(page.getByTestId('propagate-absent-threshold').inputValue()).resolves.toBe('0.78')
    await page.getByTestId('propagate-miss-rate-enabled').check()
    await waitForText('propagate-miss-rate-result', /Threshold 0\.70: of the 8 objects found among 16 review decisions, it would have missed 0\./)
    await expect(page.getByTestId('propagate-absent-threshold').inputValue()).resolves.toBe('0.7')
    await screenshot(page, 'confidence-03-miss-rate')
    // Unchecking "mark absent" still means never: the miss-rate line goes with it.
    await page.getByTestId('propagate-absent-enabled').uncheck()
    await expect(page.getByTestId('propagate-miss-rate-enabled').count()).resolves.toBe(0)
    await expect(page.getByTestId('propagate-absent-threshold').isDisabled()).resolves.toBe(true)
    expect(consoleErrors).toEqual([])
  })
})
