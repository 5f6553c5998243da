/** Acting on the studio's page like a user: image pixels to page coordinates, clicks and drags on the canvas. */
import type { Page } from 'playwright-core'

export interface Camera {
  readonly x: number
  readonly y: number
  readonly zoom: number
}

/** The camera the canvas publishes (screen = image * zoom + offset, in canvas CSS pixels). */
export async function cameraOf(page: Page): Promise<Camera> {
  const [x, y, zoom] = ((await page.getByTestId('canvas').getAttribute('data-camera')) ?? '').split(' ').map(Number)
  if (x === undefined || y === undefined || zoom === undefined || !Number.isFinite(zoom)) throw new Error('the canvas publishes no camera')
  return { x, y, zoom }
}

/** Page coordinates of an image pixel's centre. */
export async function pageXY(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = await page.getByTestId('canvas').boundingBox()
  if (!box) throw new Error('the canvas is not on screen')
  const camera = await cameraOf(page)
  return { x: box.x + camera.x + (x + 0.5) * camera.zoom, y: box.y + camera.y + (y + 0.5) * camera.zoom }
}

export async function clickImage(page: Page, x: number, y: number, button: 'left' | 'right' = 'left'): Promise<void> {
  const at = await pageXY(page, x, y)
  await page.mouse.click(at.x, at.y, { button })
}

/** A left drag between two image points, in `steps` moves. */
export async function dragImage(page: Page, from: { x: number; y: number }, to: { x: number; y: number }, steps = 8): Promise<void> {
  const a = await pageXY(page, from.x, from.y)
  const b = await pageXY(page, to.x, to.y)
  await page.mouse.move(a.x, a.y)
  await page.mouse.down()
  await page.mouse.move(b.x, b.y, { steps })
  await page.mouse.up()
}

/** The newest SAM preview has answered (the prompt hint says so). */
export async function previewSettled(page: Page): Promise<void> {
  await page.locator('[data-testid="prompt-hint"][data-pending="false"]').waitFor()
}

/** The image with this id is open and its pixels are drawn. */
export async function imageShown(page: Page, imageId: number): Promise<void> {
  await page.locator(`[data-testid="canvas"][data-image-id="${imageId}"][data-image-state="ready"]`).waitFor()
}
