/**
 * Importing a video from the workspace's Import dialog, as a user would: a real MP4 made with the
 * bundled FFmpeg, the dialog's probe (frames in the video, frames the sampling will extract), the
 * import job, and the new sequence with its frames as images of the project.
 */
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeVideo, syntheticFrames } from '../main/services/video/videoFixtures'
import { launchBrowser, openStudioPage, screenshot, startStudio, type StudioUnderTest } from './harness'
import { openDemo, type DemoSeed } from './seed'

let studio: StudioUnderTest
let browser: Browser
let page: Page
let seed: DemoSeed
let video: string

beforeAll(async () => {
  studio = await startStudio()
  video = await makeVideo(studio.dataDir, 'street.mp4', syntheticFrames(12), { fps: '24', codec: 'h264' })
  browser = await launchBrowser()
  ;({ page } = await openStudioPage(browser))
  seed = await openDemo(studio, page)
})

afterAll(async () => {
  await browser?.close()
  await studio?.close()
})

describe('video import in the studio', () => {
  it('shows what the video holds and how many frames the sampling keeps, then imports them as one sequence', async () => {
    await page.getByTestId('open-import').click()
    await page.getByTestId('import-dialog').waitFor()
    await page.getByTestId('import-format-video').check()
    await page.getByTestId('sequence-path').fill(video)
    const probe = page.getByTestId('video-probe')
    await page.locator('[data-testid="video-probe"][data-frames="12"][data-extract="12"]').waitFor()
    await page.getByTestId('sampling-every').check()
    await page.getByTestId('sampling-every-value').fill('5')
    await page.locator('[data-testid="video-probe"][data-extract="3"]').waitFor()
    await expect(probe.textContent()).resolves.toMatch(/0\.5 s · 24\.00 fps · 192×144 · 12 frames → 3 to extract/)
    await page.getByTestId('sequence-name').fill('street every 5th')
    await page.getByTestId('sequence-start').click()
    await page.locator('[data-testid="sequence-summary"][data-frames="3"]').waitFor({ timeout: 60_000 })
    await screenshot(page, 'video-import-01-done')
    const [sequence] = await studio.call('sequence:list', {})
    expect(sequence).toMatchObject({ name: 'street every 5th', source: 'video', frameCount: 3, sourcePath: video })
    const frames = await studio.call('sequence:frames', { sequenceId: sequence!.id })
    expect(frames.map((frame) => frame.timestampMs)).toEqual([0, 5000 / 24, 10000 / 24].map((ms) => Math.round(ms * 1000) / 1000))
    expect((await studio.call('image:list', { offset: 0, limit: 100 })).total).toBe(seed.imageIds.length + 3)
    expect(path.dirname(video)).toBe(studio.dataDir)
  })
})
