/**
 * Getting annotations in through the UI, as a user would: a folder chosen with the browser-mode
 * folder picker, whose COCO file (one polygon mask, one compressed RLE mask) the new-project form
 * offers to import; the project placed in a folder of the user's choosing; then each mask drawn
 * on its own image (pixels compared with the masks shown and hidden) and none on the image
 * without annotations. A malformed file imported from the workspace shows the importer's error,
 * JSON path included, and changes nothing.
 */
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compressRle, createMask, encodeRle, paintDisc } from '../../src/common/mask'
import { resourcesDir } from '../../src/main/services/system/paths'
import { launchBrowser, openStudioPage, screenshot, startStudio, type StudioUnderTest } from './harness'
import type { PageApi } from './pageApi'
import { imageShown, pageXY } from './studioPage'

const W = 800
const H = 600
/** A rectangle as a COCO polygon on photo-00; a disc as compressed RLE on photo-01; nothing on photo-02 (portrait, 600x800). */
const POLYGON = [100, 100, 400, 100, 400, 350, 100, 350]
const DISC = { x: 550, y: 300, r: 100 }

let studio: StudioUnderTest
let browser: Browser
let page: Page
let api: PageApi
let photos: string
let projectDir: string

beforeAll(async () => {
  studio = await startStudio()
  // In the data folder: one of the two places the browser-mode picker may show.
  photos = path.join(studio.dataDir, 'photos')
  cpSync(path.join(resourcesDir(), 'demo', 'images'), photos, { recursive: true, filter: (f) => !/photo-(0[3-9]|1\d)\.jpg$/.test(f) })
  mkdirSync(path.join(photos, 'annotations'))
  const disc = compressRle(encodeRle(paintDisc(createMask(W, H), { x: DISC.x, y: DISC.y }, DISC.r)))
  const coco = {
    info: { description: 'two masks' },
    images: [
      { id: 10, file_name: 'photo-00.jpg', width: W, height: H },
      { id: 11, file_name: 'photo-01.jpg', width: W, height: H },
    ],
    categories: [{ id: 1, name: 'thing' }],
    annotations: [
      { id: 1, image_id: 10, category_id: 1, segmentation: [POLYGON], area: 75000, bbox: [100, 100, 300, 250], iscrowd: 0 },
      { id: 2, image_id: 11, category_id: 1, segmentation: { size: disc.size, counts: disc.counts }, area: 1, bbox: [0, 0, 1, 1], iscrowd: 0 },
    ],
  }
  writeFileSync(path.join(photos, 'annotations', 'instances.json'), JSON.stringify(coco))
  mkdirSync(path.join(studio.dataDir, 'my-labels'))
  projectDir = path.join(studio.dataDir, 'my-labels')
  browser = await launchBrowser()
  ;({ page, api } = await openStudioPage(browser))
})

afterAll(async () => {
  await browser?.close()
  await studio?.close()
})

/** Walks the folder picker from the data folder's root to `relative`, then chooses it. */
async function pickFolder(fieldTestId: string, relative: string[]): Promise<void> {
  await page.getByTestId(`${fieldTestId}-browse`).click()
  await page.getByTestId('folder-picker').waitFor()
  await page.getByTestId('picker-root').filter({ hasText: studio.dataDir }).click()
  await page.getByTestId('picker-path').filter({ hasText: new RegExp(`^${studio.dataDir}$`) }).waitFor()
  for (const name of relative) {
    await page.locator(`[data-testid="picker-folder"][data-name="${name}"]`).click()
    await page.getByTestId('picker-path').filter({ hasText: new RegExp(`/${name}$`) }).waitFor()
  }
  await page.getByTestId('picker-choose').click()
  await page.getByTestId('folder-picker').waitFor({ state: 'detached' })
}

/** RGB at image pixel (x, y) of the canvas, from a page screenshot. */
async function canvasPixels(points: readonly { x: number; y: number }[]): Promise<number[][]> {
  await page.mouse.move(0, 0)
  const png = await page.screenshot()
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
  const out: number[][] = []
  for (const point of points) {
    const at = await pageXY(page, point.x, point.y)
    const offset = (Math.round(at.y) * info.width + Math.round(at.x)) * info.channels
    out.push([data[offset]!, data[offset + 1]!, data[offset + 2]!])
  }
  return out
}

/** Konva draws on the next animation frame: wait for two. */
async function nextFrames(): Promise<void> {
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))')
}

/** How much each point changes when the masks are hidden (H): the mask overlay's contribution. */
async function maskContribution(points: readonly { x: number; y: number }[]): Promise<number[]> {
  const shown = await canvasPixels(points)
  await page.keyboard.press('h')
  await nextFrames()
  const hidden = await canvasPixels(points)
  await page.keyboard.press('h')
  await nextFrames()
  return shown.map((rgb, i) => Math.max(...rgb.map((v, c) => Math.abs(v - hidden[i]![c]!))))
}

async function openByName(name: string): Promise<void> {
  const row = page.locator('[data-testid="image-row"]', { hasText: name })
  await row.click()
  await imageShown(page, Number(await row.getAttribute('data-image-id')))
}

const INSIDE_POLYGON = { x: 250, y: 225 }
const INSIDE_DISC = { x: DISC.x, y: DISC.y }
const OUTSIDE_BOTH = { x: 700, y: 520 }

describe('importing annotations through the studio', () => {
  it('offers the COCO file found in a folder chosen with the folder picker, and puts the project where the user chose', async () => {
    await page.goto(studio.server.launchUrl)
    await page.getByTestId('welcome').waitFor()
    await pickFolder('create-images-root', ['photos'])
    await expect(page.getByTestId('create-images-root').inputValue()).resolves.toBe(photos)
    await page.locator('[data-testid="create-detected"][data-coco="1"]').waitFor()
    await expect(page.getByTestId('create-import-found').isChecked()).resolves.toBe(true)
    await pickFolder('create-project-dir', ['my-labels'])
    await screenshot(page, 'import-01-new-project')
    await page.getByTestId('create-submit').click()
    await page.getByTestId('workspace').waitFor()

    expect(api.requests('project:create')).toEqual([
      { imagesRoot: photos, projectDir, importAnnotations: { format: 'coco', path: path.join(photos, 'annotations', 'instances.json') } },
    ])
    expect(existsSync(path.join(projectDir, 'project.sqlite'))).toBe(true)
    await expect.poll(() => page.getByTestId('image-row').count()).toBe(3)
    await expect.poll(async () => (await studio.call('annotation:list', { statuses: ['accepted'] })).total).toBe(2)
  })

  it('draws each imported mask on its own image, and none on the image without annotations', async () => {
    await openByName('photo-00.jpg')
    await page.locator('[data-testid="canvas"][data-mask-count="1"]').waitFor()
    const [polygonIn, polygonOut] = await maskContribution([INSIDE_POLYGON, OUTSIDE_BOTH])
    expect(polygonIn).toBeGreaterThan(25)
    expect(polygonOut).toBeLessThan(4)
    await screenshot(page, 'import-02-polygon-mask')

    await openByName('photo-02.jpg')
    await page.locator('[data-testid="canvas"][data-mask-count="0"]').waitFor()
    const nothing = await maskContribution([INSIDE_POLYGON, INSIDE_DISC, { x: 300, y: 700 }])
    expect(Math.max(...nothing)).toBeLessThan(4)

    await openByName('photo-01.jpg')
    await page.locator('[data-testid="canvas"][data-mask-count="1"]').waitFor()
    const [discIn, discOut, polygonPlace] = await maskContribution([INSIDE_DISC, OUTSIDE_BOTH, { x: 150, y: 150 }])
    expect(discIn).toBeGreaterThan(25)
    expect(discOut).toBeLessThan(4)
    expect(polygonPlace).toBeLessThan(4)
    await screenshot(page, 'import-03-rle-mask')
  })

  it('shows the importer\'s error, with the JSON path, for a malformed file imported from the workspace', async () => {
    const broken = path.join(photos, 'broken.json')
    writeFileSync(broken, JSON.stringify({ images: [{ id: 1, file_name: 'photo-00.jpg', width: W, height: H }], categories: [{ id: 1, name: 'thing' }], annotations: [{ id: 1, image_id: 1, category_id: 1, segmentation: { size: [H, W], counts: 42 }, area: 1, bbox: [0, 0, 1, 1], iscrowd: 0 }] }))
    await page.getByTestId('open-import').click()
    await page.getByTestId('import-dialog').waitFor()
    await page.getByTestId('import-format-coco').check()
    await page.getByTestId('import-path').fill(broken)
    await page.getByTestId('import-start').click()
    const error = page.getByTestId('import-error')
    await error.waitFor()
    await expect(error.textContent()).resolves.toMatch(/broken\.json: annotations\[0\]\.segmentation/)
    await screenshot(page, 'import-04-malformed')
    expect((await studio.call('annotation:list', { statuses: ['accepted'] })).total).toBe(2)
  })

  it('shows the progress of a big file, then the problem at its far end; nothing is imported', async () => {
    // ~25 MB: 300,000 image records, the last one with a width no image has.
    const count = 300_000
    const records = Array.from({ length: count }, (_, i) => `{"id":${i + 1},"file_name":"frames/frame-${String(i).padStart(6, '0')}.jpg","width":${i === count - 1 ? -5 : 640},"height":480}`)
    const huge = path.join(photos, 'huge.json')
    writeFileSync(huge, `{"categories":[{"id":1,"name":"thing"}],"annotations":[],"images":[${records.join(',')}]}`)
    await page.getByTestId('import-path').fill(huge)
    await page.getByTestId('import-start').click()
    // A report part-way through the file, shown in the dialog.
    await page.locator('[data-testid="import-progress"]:not([data-done="0"])').waitFor()
    const error = page.getByTestId('import-error')
    await error.waitFor({ timeout: 60_000 })
    await expect(error.textContent()).resolves.toMatch(new RegExp(`huge\\.json: images\\[${count - 1}\\]\\.width`))
    expect((await studio.call('image:list', { offset: 0, limit: 10 })).total).toBe(3)
  })
})
