/**
 * Puts known annotations into the open demo project, past the UI, so a browser test can start
 * from a given state (proposals waiting for review, a reference) without running a propagation.
 */
import { readdirSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import type { AnnotationInfo } from '../../src/common/ipc/types'
import { storedMaskFromBinary } from '../../src/main/services/store/masks'
import { resourcesDir } from '../../src/main/services/system/paths'
import type { StudioUnderTest } from './harness'

export interface DemoSeed {
  readonly categoryId: number
  /** Image ids of the demo photos, in list order. */
  readonly imageIds: readonly number[]
}

/** Opens the demo project from the welcome screen and waits for the workspace. */
export async function openDemo(studio: StudioUnderTest, page: Page): Promise<DemoSeed> {
  await page.goto(studio.server.launchUrl)
  await page.getByTestId('welcome-open-demo').click()
  await page.getByTestId('workspace').waitFor()
  // A new demo project shows its workspace as soon as it exists; its images and its category are
  // added right after, so wait for them (bounded) rather than reading a half-made project.
  const demoPhotos = readdirSync(path.join(resourcesDir(), 'demo', 'images')).length
  const deadline = Date.now() + 30_000
  for (;;) {
    const images = await studio.call('image:list', { offset: 0, limit: 100 })
    const [category] = await studio.call('category:list', {})
    if (category && images.total === demoPhotos) return { categoryId: category.id, imageIds: images.items.map((item) => item.id) }
    if (Date.now() > deadline) throw new Error(`the demo project is not ready after 30 s (${images.total} images, ${category ? 'a' : 'no'} category)`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** A proposal with a rectangular mask, stored as a propagation would store it. */
export async function addProposal(
  studio: StudioUnderTest,
  seed: DemoSeed,
  imageId: number,
  box: { x: number; y: number; width: number; height: number },
  score: number,
): Promise<AnnotationInfo> {
  const session = studio.core.context.current
  if (!session) throw new Error('no project is open')
  const detail = await studio.call('image:get', { imageId })
  const { width, height } = detail.image
  const data = new Uint8Array(width * height)
  for (let y = box.y; y < box.y + box.height; y++) data.fill(1, y * width + box.x, y * width + box.x + box.width)
  const created = session.project.annotations.create({
    imageId,
    categoryId: seed.categoryId,
    mask: storedMaskFromBinary({ width, height, data }),
    status: 'proposed',
    source: 'persam',
    score,
  })
  const stored = (await studio.call('image:get', { imageId })).annotations.find((a) => a.id === created.id)
  if (!stored) throw new Error(`annotation ${created.id} was not stored`)
  return stored
}
