/**
 * Review in Chromium: the highlighted annotation card is the proposal the bar counts ("proposal
 * 1 of 2" is the first card), and after a brush correction the next proposal starts with the
 * review's own tool and its "click to correct" hint.
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
let sure: AnnotationInfo
let unsure: AnnotationInfo
let later: AnnotationInfo

beforeAll(async () => {
  studio = await startStudio()
  browser = await launchBrowser()
  ;({ page, consoleErrors } = await openStudioPage(browser))
  const seed = await openDemo(studio, page)
  const [, second, third] = seed.imageIds
  // Stored first but more confident: the walk shows it second.
  sure = await addProposal(studio, seed, second!, { x: 40, y: 40, width: 80, height: 60 }, 0.9)
  unsure = await addProposal(studio, seed, second!, { x: 200, y: 150, width: 90, height: 70 }, 0.2)
  later = await addProposal(studio, seed, third!, { x: 60, y: 60, width: 100, height: 80 }, 0.95)
  await page.reload()
  await page.getByTestId('workspace').waitFor()
})

afterAll(async () => {
  await browser?.close()
  await studio?.close()
})

const cardIds = async () => (await page.getByTestId('annotation-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-annotation-id')))).map(Number)
const selectedCard = () => page.locator('[data-testid="annotation-row"].annotation--selected')

describe('review in the browser', () => {
  it('highlights the card the bar counts: proposal 1 of 2 is the first card', async () => {
    await page.keyboard.press('Shift+R')
    await page.locator(`[data-testid="review-bar"][data-annotation-id="${unsure.id}"]`).waitFor()
    await expect(page.getByTestId('review-position').textContent()).resolves.toMatch(/proposal 1 of 2$/)
    expect(await cardIds()).toEqual([unsure.id, sure.id])
    await expect(selectedCard().getAttribute('data-annotation-id')).resolves.toBe(String(unsure.id))
    await screenshot(page, 'review-01-first-card')

    await page.keyboard.press('d')
    await page.locator(`[data-testid="review-bar"][data-annotation-id="${sure.id}"]`).waitFor()
    await expect(page.getByTestId('review-position').textContent()).resolves.toMatch(/proposal 2 of 2$/)
    expect((await cardIds()).indexOf(sure.id)).toBe(1)
    await expect(selectedCard().getAttribute('data-annotation-id')).resolves.toBe(String(sure.id))
  })

  it('moves on from a brush correction with the review tool and its hint back', async () => {
    await page.keyboard.press('b')
    await expect(page.getByTestId('hint-text').textContent()).resolves.toMatch(/^Brush/)
    await page.keyboard.press('Enter')
    await page.locator(`[data-testid="review-bar"][data-annotation-id="${later.id}"]`).waitFor()
    await expect(page.getByTestId('tool-samPoints').getAttribute('aria-pressed')).resolves.toBe('true')
    await expect(page.getByTestId('hint-text').textContent()).resolves.toContain('click to correct')
    await screenshot(page, 'review-02-after-brush')
    expect(consoleErrors).toEqual([])
  })
})
