/**
 * An unselected mask stays visible when its category colour is the colour of what lies under
 * it: its outline is a dark ring and a light ring, found in the pixels Chromium draws.
 */
import type { Browser, Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AnnotationInfo } from '../../src/common/ipc/types'
import { launchBrowser, openStudioPage, screenshot, startStudio, type StudioUnderTest } from './harness'
import { addProposal, openDemo, type DemoSeed } from './seed'
import { imageShown, pageXY } from './studioPage'

let studio: StudioUnderTest
let browser: Browser
let page: Page
let seed: DemoSeed
let mask: AnnotationInfo
const RECT = { x: 300, y: 60, width: 120, height: 90 }

beforeAll(async () => {
  studio = await startStudio()
  browser = await launchBrowser()
  ;({ page } = await openStudioPage(browser))
  seed = await openDemo(studio, page)
  mask = await addProposal(studio, seed, seed.imageIds[1]!, RECT, 0.8)
})

afterAll(async () => {
  await browser?.close()
  await studio?.close()
})

/** The page's pixels in a band across the mask's left edge (12 screen px each side, 30 tall). */
async function edgeBand(): Promise<{ pixels: [number, number, number][] }> {
  const edge = await pageXY(page, RECT.x - 0.5, RECT.y + RECT.height / 2 - 0.5)
  const clip = { x: Math.round(edge.x) - 12, y: Math.round(edge.y) - 15, width: 24, height: 30 }
  const png = await page.screenshot({ clip })
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const pixels: [number, number, number][] = []
  for (let i = 0; i < info.width * info.height; i++) pixels.push([data[i * 3]!, data[i * 3 + 1]!, data[i * 3 + 2]!])
  return { pixels }
}

const luma = ([r, g, b]: [number, number, number]) => 0.2126 * r + 0.7152 * g + 0.0722 * b
const hex = (rgb: number[]) => `#${rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`

async function showImage(): Promise<void> {
  await page.locator(`[data-testid="image-row"][data-image-id="${mask.imageId}"]`).click()
  await imageShown(page, mask.imageId)
}

describe('mask outlines', () => {
  it('draw a dark and a light ring around an unselected mask coloured like its background', async () => {
    await showImage()
    await page.keyboard.press('h')
    const bare = await edgeBand()
    const mean = [0, 1, 2].map((c) => bare.pixels.reduce((sum, p) => sum + p[c]!, 0) / bare.pixels.length)
    await studio.call('category:update', { categoryId: seed.categoryId, color: hex(mean) })

    await page.reload()
    await page.getByTestId('workspace').waitFor()
    await showImage()
    await page.locator('[data-testid="canvas"][data-mask-count="1"]').waitFor()
    await expect(page.locator(`[data-testid="annotation-row"].annotation--selected`).count()).resolves.toBe(0)
    const drawn = await edgeBand()
    await screenshot(page, 'mask-outline-same-colour')

    const bareLuma = bare.pixels.map(luma)
    const drawnLuma = drawn.pixels.map(luma)
    const [low, high] = [Math.min(...bareLuma), Math.max(...bareLuma)]
    // Darker and lighter than anything in the photo there: the rings, not the photo.
    expect(Math.min(...drawnLuma)).toBeLessThan(low - 30)
    expect(Math.max(...drawnLuma)).toBeGreaterThan(high + 30)
  })
})
