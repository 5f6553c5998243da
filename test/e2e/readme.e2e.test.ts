/**
 * README.md's "Labeling a folder, step by step", followed literally by a new user on a 1280x720
 * screen, in Chromium against the real studio: open a folder of photos (chosen with the folder
 * picker, the project placed in a folder of one's choosing), mark the object once (S, click,
 * Enter, R), propagate (P), review (Shift+R, Enter), export COCO. A screenshot of each step goes
 * to test-artifacts/readme-*.png.
 */
import { cpSync, mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resourcesDir } from '../../src/main/services/system/paths'
import { demoObjectIn } from '../helpers/demoObjects'
import { launchBrowser, screenshot, startStudio, type StudioUnderTest } from './harness'
import { PageApi } from './pageApi'
import { clickImage, imageShown, previewSettled } from './studioPage'

let studio: StudioUnderTest
let browser: Browser
let page: Page
let api: PageApi
const consoleErrors: string[] = []
let photos: string
let projectDir: string

beforeAll(async () => {
  studio = await startStudio()
  photos = path.join(studio.dataDir, 'photos')
  cpSync(path.join(resourcesDir(), 'demo', 'images'), photos, { recursive: true })
  projectDir = path.join(studio.dataDir, 'labels')
  mkdirSync(projectDir)
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text())
  })
  page.on('pageerror', (error) => consoleErrors.push(error.message))
  api = new PageApi(page)
})

afterAll(async () => {
  await browser?.close()
  await studio?.close()
})

async function pickFolder(fieldTestId: string, name: string): Promise<void> {
  await page.getByTestId(`${fieldTestId}-browse`).click()
  await page.getByTestId('folder-picker').waitFor()
  await page.getByTestId('picker-root').filter({ hasText: studio.dataDir }).click()
  await page.locator(`[data-testid="picker-folder"][data-name="${name}"]`).click()
  await page.getByTestId('picker-path').filter({ hasText: new RegExp(`/${name}$`) }).waitFor()
  await page.getByTestId('picker-choose').click()
  await page.getByTestId('folder-picker').waitFor({ state: 'detached' })
}

let proposals = 0

describe('README: labeling a folder, step by step', () => {
  it('1. opens a folder of photos; the project goes in a folder the user chose', async () => {
    await page.goto(studio.server.launchUrl)
    await page.getByTestId('welcome').waitFor()
    await pickFolder('create-images-root', 'photos')
    await pickFolder('create-project-dir', 'labels')
    await screenshot(page, 'readme-01-open-folder')
    await page.getByTestId('create-submit').click()
    await page.getByTestId('workspace').waitFor()
    await expect.poll(() => page.getByTestId('image-row').count()).toBe(12)
    const first = (await studio.call('image:list', { offset: 0, limit: 1 })).items[0]!
    expect(first.fileName).toBe('photo-00.jpg')
    await imageShown(page, first.id)
    expect((await studio.call('project:current', {}))?.projectDir).toBe(projectDir)
    await screenshot(page, 'readme-02-workspace')
  })

  it('2. marks the object once: a category, the SAM tool (S), a click, Enter, then R', async () => {
    await page.getByTestId('category-name').fill('kite')
    await page.getByTestId('category-add').click()
    await page.locator('[data-testid="category-row"]', { hasText: 'kite' }).waitFor()
    await page.keyboard.press('s')
    const object = demoObjectIn('photo-00.jpg')!
    await clickImage(page, object.x, object.y)
    await previewSettled(page)
    await page.locator('[data-testid="canvas"]:not([data-preview-request=""])').waitFor()
    await screenshot(page, 'readme-03-sam-click')
    await page.keyboard.press('Enter')
    await page.locator('[data-testid="annotation-row"][data-status="accepted"]').waitFor()
    await page.keyboard.press('r')
    await page.locator('[data-testid="annotation-row"][data-reference="true"]').waitFor()
    await screenshot(page, 'readme-04-reference')
  })

  it('3. propagates with PerSAM-F (P)', async () => {
    await page.keyboard.press('p')
    await page.getByTestId('propagate-dialog').waitFor()
    await page.getByTestId('method-persam-f').check()
    await page.getByTestId('propagate-start').click()
    await page.getByTestId('job').waitFor()
    await screenshot(page, 'readme-05-propagating')
    await page.getByTestId('job').waitFor({ state: 'detached', timeout: 120_000 })
    proposals = (await studio.call('annotation:list', { statuses: ['proposed'] })).total
    expect(proposals).toBeGreaterThan(0)
  })

  it('4. reviews (Shift+R), least confident first, accepting with Enter', async () => {
    await page.keyboard.press('Shift+R')
    const bar = page.getByTestId('review-bar')
    await bar.waitFor()
    await screenshot(page, 'readme-06-review')
    for (let i = 0; i < proposals; i++) {
      const current = await bar.getAttribute('data-annotation-id')
      await page.keyboard.press('Enter')
      if (i < proposals - 1) await page.locator(`[data-testid="review-bar"]:not([data-annotation-id="${current}"])`).waitFor()
    }
    await page.locator('[data-testid="review-bar"][data-finished="true"]').waitFor()
    await expect.poll(async () => (await studio.call('annotation:list', { statuses: ['proposed'] })).total).toBe(0)
    await screenshot(page, 'readme-07-reviewed')
    await page.keyboard.press('Shift+R')
    await bar.waitFor({ state: 'detached' })
  })

  it('5. exports COCO JSON with the reference and every accepted proposal', async () => {
    await page.getByTestId('open-export').click()
    await page.getByTestId('export-dialog').waitFor()
    const file = path.join(studio.dataDir, 'export', 'kite.json')
    await page.getByTestId('export-path').fill(file)
    await page.getByTestId('export-start').click()
    await page.getByTestId('export-summary').waitFor()
    await screenshot(page, 'readme-08-export')
    const coco = JSON.parse(readFileSync(file, 'utf8')) as { images: unknown[]; annotations: { segmentation: { counts: string } }[] }
    expect(coco.images).toHaveLength(12)
    expect(coco.annotations).toHaveLength(1 + proposals)
    expect(consoleErrors).toEqual([])
    expect(api.failures()).toEqual([])
  })
})
