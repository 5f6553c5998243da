/**
 * The sequence view in Chromium: a project holding a synthetic 16-frame sequence with a reference
 * on frame 0; tracking fills the timeline, scrubbing changes the canvas's frame, "next flagged"
 * jumps to the first flagged frame, and a brush correction on a later frame re-runs its spans in
 * the background: the progress shows a new job and the strip after that frame changes.
 */
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TimelineFrame } from '../../src/common/ipc/dto/sequence'
import { storedMaskFromBinary } from '../../src/main/services/store/masks'
import { nextFlagged } from '../../src/renderer/src/editor/sequence/timeline'
import { sequenceOfImages, writeSequenceFrames } from '../helpers/syntheticSequence'
import { launchBrowser, openStudioPage, screenshot, startStudio, type StudioUnderTest } from './harness'
import { dragImage, imageShown } from './studioPage'

const FRAMES = 16
const CORRECTED = 13

let studio: StudioUnderTest
let browser: Browser
let page: Page
let consoleErrors: string[]
let sequenceId: number
let categoryId: number
let imageIds: number[]

/** The strip as the page shows it: per cell its state and confidence. */
const strip = () =>
  page.getByTestId('timeline-cell').evaluateAll((cells) => cells.map((cell) => ({ state: cell.getAttribute('data-state'), confidence: cell.getAttribute('data-confidence') })))

const timeline = (): Promise<TimelineFrame[]> => studio.call('sequence:timeline', { sequenceId, categoryId })

async function trackingDone(jobId: string): Promise<void> {
  await page.locator(`[data-testid="sequence-progress"][data-job-id="${jobId}"][data-state="done"]`).waitFor({ timeout: 120_000 })
}

beforeAll(async () => {
  studio = await startStudio()
  const frames = path.join(studio.dataDir, 'walk')
  const { truth } = await writeSequenceFrames(frames, { seed: 7, frames: FRAMES })
  const { importJob } = await studio.call('project:create', { imagesRoot: frames, projectDir: path.join(studio.dataDir, 'project') })
  await studio.core.context.jobs.wait(importJob.id)
  const { project } = studio.core.context.requireSession()
  categoryId = (await studio.call('category:create', { name: 'target' })).id
  ;({ imageIds, sequence: { id: sequenceId } } = sequenceOfImages(project, 'walk'))
  const reference = project.annotations.create({ imageId: imageIds[0]!, categoryId, mask: storedMaskFromBinary(truth[0]!), status: 'accepted', source: 'manual' })
  project.references.setReference(reference.id, true)
  browser = await launchBrowser()
  ;({ page, consoleErrors } = await openStudioPage(browser))
  await page.goto(studio.server.launchUrl)
  await page.getByTestId('workspace').waitFor()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await studio?.close()
})

describe('the sequence timeline in the browser', () => {
  it('opens the sequence, tracks it, and shows every frame\'s state on the strip', async () => {
    await page.getByTestId('sequence-open').click()
    await page.locator('[data-testid="timeline-cell"][data-frame="0"][data-state="keyframe"]').waitFor()
    expect(await page.getByTestId('timeline-cell').count()).toBe(FRAMES)
    await imageShown(page, imageIds[0]!)
    await page.getByTestId('sequence-track').click()
    const jobId = await page.getByTestId('sequence-progress').getAttribute('data-job-id')
    await trackingDone(jobId!)
    const stored = await timeline()
    await expect.poll(strip).toEqual(stored.map((f) => ({ state: f.state, confidence: f.confidence === null ? '' : String(f.confidence) })))
    expect(stored.filter((f) => f.state === 'none')).toEqual([])
    // The legend names each state shown with its number of frames.
    const expected: Record<string, string> = {}
    for (const f of stored) expected[f.state] = String(Number(expected[f.state] ?? 0) + 1)
    const legend = await page.locator('[data-testid="timeline-legend"] [data-state]').evaluateAll((items) => Object.fromEntries(items.map((item) => [item.getAttribute('data-state'), item.getAttribute('data-count')])))
    expect(legend).toEqual(expected)
    await screenshot(page, 'sequence-01-tracked')
  }, 180_000)

  it('scrubbing the strip changes the canvas frame, and "next flagged" jumps to the first flagged frame', async () => {
    const box = (await page.getByTestId('timeline-strip').boundingBox())!
    const y = box.y + box.height / 2
    await page.mouse.move(box.x + 2, y)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width * 0.3, y, { steps: 5 })
    await page.mouse.move(box.x + box.width * ((9 + 0.5) / FRAMES), y, { steps: 5 })
    await page.mouse.up()
    await imageShown(page, imageIds[9]!)
    await expect(page.getByTestId('sequence-frame-label').getAttribute('data-frame')).resolves.toBe('9')
    await screenshot(page, 'sequence-02-scrubbed')

    await page.getByTestId('sequence-step-prev').click()
    await imageShown(page, imageIds[8]!)
    const stored = await timeline()
    const flagged = nextFlagged(stored, 0)
    expect(flagged, 'tracking flags at least one frame of this sequence').not.toBeNull()
    // From frame 0, so the jump is to the first flagged frame.
    await page.keyboard.press(',')
    for (let i = 0; i < 8; i++) await page.keyboard.press(',')
    await imageShown(page, imageIds[0]!)
    await page.getByTestId('sequence-next-flagged').click()
    await imageShown(page, imageIds[flagged!]!)
    await expect(page.locator(`[data-testid="timeline-cell"][data-frame="${flagged}"]`).getAttribute('data-state')).resolves.toBe('flagged')
    await screenshot(page, 'sequence-03-next-flagged')
  }, 60_000)

  it('a brush correction on a frame re-runs its spans in the background and the strip after it changes', async () => {
    const before = await strip()
    const firstJob = await page.getByTestId('sequence-progress').getAttribute('data-job-id')
    const box = (await page.getByTestId('timeline-strip').boundingBox())!
    await page.mouse.click(box.x + box.width * ((CORRECTED + 0.5) / FRAMES), box.y + box.height / 2)
    await imageShown(page, imageIds[CORRECTED]!)
    const proposal = (await studio.call('image:get', { imageId: imageIds[CORRECTED]! })).annotations.find((a) => a.status === 'proposed' && a.bbox)
    expect(proposal, `frame ${CORRECTED} holds a tracked proposal`).toBeDefined()
    await page.locator(`[data-testid="annotation-row"][data-annotation-id="${proposal!.id}"] .annotation__main`).click()
    await page.keyboard.press('b')
    const [x, y, w, h] = proposal!.bbox!
    await dragImage(page, { x: x + w / 2, y: y + h / 2 }, { x: Math.min(x + w + 20, 190), y: y + h / 2 })
    // The correction makes frame 13 a keyframe and a new tracking job runs its spans.
    await page.locator(`[data-testid="sequence-progress"]:not([data-job-id="${firstJob}"])`).waitFor({ timeout: 30_000 })
    const rerun = await page.getByTestId('sequence-progress').getAttribute('data-job-id')
    await screenshot(page, 'sequence-04-rerunning')
    await trackingDone(rerun!)
    await page.locator(`[data-testid="timeline-cell"][data-frame="${CORRECTED}"][data-state="keyframe"]`).waitFor()
    const after = await strip()
    const stored = await timeline()
    expect(after).toEqual(stored.map((f) => ({ state: f.state, confidence: f.confidence === null ? '' : String(f.confidence) })))
    // Frames before the keyframe that bounds the correction (frame 0's span ends at 13 now) may change, frames after 13 did.
    const changedAfter = after.slice(CORRECTED + 1).filter((cell, i) => JSON.stringify(cell) !== JSON.stringify(before[CORRECTED + 1 + i]))
    expect(changedAfter.length).toBeGreaterThan(0)
    const job = (await studio.call('job:list', {})).find((j) => j.id === rerun)!
    expect(job.report).toMatchObject({ keyframes: 2, spansComputed: 3 })
    await screenshot(page, 'sequence-05-rerun-done')
    expect(consoleErrors).toEqual([])
  }, 180_000)
})
