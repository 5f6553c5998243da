/**
 * A newcomer's first sequence in Chromium: "Open the demo video" on the welcome screen opens the
 * bundled frames as a sequence with a reference on frame 0; opening the sequence and pressing
 * Track is all it takes to fill the strip with the keyframe and tracked proposals.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openStudioPage, screenshot, startStudio, type StudioUnderTest } from './harness'
import { imageShown } from './studioPage'

const FRAMES = 24

let studio: StudioUnderTest
let browser: Browser
let page: Page
let consoleErrors: string[]

beforeAll(async () => {
  studio = await startStudio()
  browser = await launchBrowser()
  ;({ page, consoleErrors } = await openStudioPage(browser))
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await studio?.close()
})

describe('the demo video from the welcome screen', () => {
  it('opens, tracks with one press, and shows the keyframe and the proposals on the strip', async () => {
    await page.goto(studio.server.launchUrl)
    await page.getByTestId('welcome').waitFor()
    await screenshot(page, 'demo-sequence-01-welcome')
    await page.getByTestId('welcome-open-demo-sequence').click()
    await page.getByTestId('workspace').waitFor()
    // The sequence bar appears once the frames are imported (right after the project exists).
    await page.getByTestId('sequence-open').click({ timeout: 30_000 })
    await page.locator('[data-testid="timeline-cell"][data-frame="0"][data-state="keyframe"]').waitFor()
    expect(await page.getByTestId('timeline-cell').count()).toBe(FRAMES)
    const [sequence] = await studio.call('sequence:list', {})
    const frames = await studio.call('sequence:frames', { sequenceId: sequence!.id })
    await imageShown(page, frames[0]!.imageId)

    await page.getByTestId('sequence-track').click()
    const jobId = await page.getByTestId('sequence-progress').getAttribute('data-job-id')
    await page.locator(`[data-testid="sequence-progress"][data-job-id="${jobId}"][data-state="done"]`).waitFor({ timeout: 150_000 })
    const [category] = await studio.call('category:list', {})
    const stored = await studio.call('sequence:timeline', { sequenceId: sequence!.id, categoryId: category!.id })
    const strip = () => page.getByTestId('timeline-cell').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-state')))
    await expect.poll(strip).toEqual(stored.map((f) => f.state))
    const states = await strip()
    expect(states[0]).toBe('keyframe')
    expect(states.filter((s) => s === 'proposed').length, 'tracking proposes masks on the frames the mug is clearly seen').toBeGreaterThan(0)
    expect(states.filter((s) => s === 'none')).toEqual([])
    await screenshot(page, 'demo-sequence-02-tracked')
    expect(consoleErrors).toEqual([])
  }, 240_000)
})
