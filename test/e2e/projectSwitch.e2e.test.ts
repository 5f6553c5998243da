/**
 * Switching projects never shows another project's pixels. Two projects whose images share ids
 * and file names but not colours (red and green, blue and yellow) are opened in turn from the
 * welcome screen, from the recent list, from outside the page (another client opens a project),
 * and across page reloads; each time the canvas and the thumbnails show the open project's own
 * colours. Image ids restart at 1 in every project, so media URLs keyed by id alone served the
 * browser's cached copy of the previous project's photo.
 */
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inProcessClient, waitForJob } from '../main/api/workflowClients'
import { launchBrowser, openStudioPage, screenshot, startStudio, type StudioUnderTest } from './harness'
import { cameraOf, imageShown } from './studioPage'

type Rgb = readonly [number, number, number]
const WIDTH = 320
const HEIGHT = 240

interface TestProject {
  readonly name: string
  readonly dir: string
  /** Colours of its two images, in list order. */
  readonly colors: readonly [Rgb, Rgb]
  readonly ids: readonly number[]
}

let RED_GREEN: TestProject
let BLUE_YELLOW: TestProject

let studio: StudioUnderTest
let browser: Browser
let page: Page

async function createProject(root: string, name: string, colors: readonly [Rgb, Rgb]): Promise<TestProject> {
  const images = path.join(root, `${name.replace(/\W+/g, '-')}-images`)
  mkdirSync(images, { recursive: true })
  for (const [index, [r, g, b]] of colors.entries()) {
    await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: { r, g, b } } })
      .png()
      .toFile(path.join(images, `photo-${index}.png`))
  }
  const dir = path.join(root, `${name.replace(/\W+/g, '-')}-project`)
  const { project, importJob } = await studio.call('project:create', { imagesRoot: images, projectDir: dir, name })
  await waitForJob(inProcessClient(studio.core), importJob.id)
  const listed = await studio.call('image:list', { offset: 0, limit: 10 })
  return { name: project.name, dir, colors, ids: listed.items.map((item) => item.id) }
}

/** The colour of a screenshot of `element` at (x, y) in its CSS pixels. */
async function colorAt(shot: Buffer, x: number, y: number): Promise<Rgb> {
  const { data, info } = await sharp(shot).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const at = (Math.round(y) * info.width + Math.round(x)) * 3
  return [data[at]!, data[at + 1]!, data[at + 2]!]
}

/** The colour the canvas shows at the centre of the image (no masks: the projects have none). */
async function canvasColor(): Promise<Rgb> {
  const camera = await cameraOf(page)
  const shot = await page.getByTestId('canvas').screenshot()
  return colorAt(shot, camera.x + (WIDTH / 2) * camera.zoom, camera.y + (HEIGHT / 2) * camera.zoom)
}

/** The colour at the centre of an image row's thumbnail. */
async function thumbColor(imageId: number): Promise<Rgb> {
  const thumb = page.locator(`[data-testid="image-row"][data-image-id="${imageId}"] img`)
  const box = await thumb.boundingBox()
  if (!box) throw new Error(`the thumbnail of image ${imageId} is not on screen`)
  return colorAt(await thumb.screenshot(), box.width / 2, box.height / 2)
}

const near = (expected: Rgb) => (actual: Rgb) => actual.every((value, c) => Math.abs(value - expected[c]!) < 24)

/** The project is open in the page and every pixel shown is its own. */
async function showsOwnPixels(project: TestProject, step: string): Promise<void> {
  await page.locator('[data-testid="project-name"]', { hasText: project.name }).waitFor()
  const [firstId, secondId] = project.ids as [number, number]
  await imageShown(page, firstId)
  await expect.poll(canvasColor, { message: `${step}: canvas of ${project.name}` }).toSatisfy(near(project.colors[0]))
  await expect.poll(() => thumbColor(firstId), { message: `${step}: first thumbnail` }).toSatisfy(near(project.colors[0]))
  await expect.poll(() => thumbColor(secondId), { message: `${step}: second thumbnail` }).toSatisfy(near(project.colors[1]))
  await screenshot(page, `project-switch-${step}`)

  await page.locator(`[data-testid="image-row"][data-image-id="${secondId}"]`).click()
  await imageShown(page, secondId)
  await expect.poll(canvasColor, { message: `${step}: second image of ${project.name}` }).toSatisfy(near(project.colors[1]))
}

async function closeProject(): Promise<void> {
  await page.getByTestId('close-project').click()
  await page.getByTestId('welcome').waitFor()
}

beforeAll(async () => {
  studio = await startStudio()
  browser = await launchBrowser()
  ;({ page } = await openStudioPage(browser))
  const root = mkdtempSync(path.join(tmpdir(), 'project-switch-'))
  RED_GREEN = await createProject(root, 'Red and green', [
    [220, 40, 40],
    [40, 200, 60],
  ])
  BLUE_YELLOW = await createProject(root, 'Blue and yellow', [
    [40, 70, 220],
    [230, 210, 40],
  ])
  await studio.call('project:close', {})
})

afterAll(async () => {
  await browser?.close()
  await studio?.close()
})

describe('switching projects in Chromium', () => {
  it('gives both projects the same image ids, so only the content tells them apart', () => {
    expect(RED_GREEN.ids).toHaveLength(2)
    expect(BLUE_YELLOW.ids).toEqual(RED_GREEN.ids)
  })

  it("shows each project's own photos as projects are opened, reopened and the page reloaded", async () => {
    await page.goto(studio.server.launchUrl)
    await page.getByTestId('welcome').waitFor()

    await page.getByTestId('open-project-dir').fill(RED_GREEN.dir)
    await page.getByTestId('open-submit').click()
    await showsOwnPixels(RED_GREEN, '1-red-green')

    await closeProject()
    await page.getByTestId('open-project-dir').fill(BLUE_YELLOW.dir)
    await page.getByTestId('open-submit').click()
    await showsOwnPixels(BLUE_YELLOW, '2-blue-yellow')

    await closeProject()
    await page.getByTestId('recent-item').filter({ hasText: RED_GREEN.name }).click()
    await showsOwnPixels(RED_GREEN, '3-red-green-again')

    await page.reload()
    await showsOwnPixels(RED_GREEN, '4-red-green-reloaded')

    // Another client opens the other project: the page follows without leaving the workspace.
    await studio.call('project:open', { projectDir: BLUE_YELLOW.dir })
    await showsOwnPixels(BLUE_YELLOW, '5-blue-yellow-from-outside')

    await page.reload()
    await showsOwnPixels(BLUE_YELLOW, '6-blue-yellow-reloaded')
  })
})
