/**
 * Puts known annotations into the open demo project, past the UI, so a browser test can start
 * from a given state (proposals waiting for review, a reference) without running a propagation.
 */
import type { Page } from 'playwright-core'
import type { AnnotationInfo } from '../../src/common/ipc/types'
import { storedMaskFromBinary } from '../../src/main/services/store/masks'
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
  const images = await studio.call('image:list', { offset: 0, limit: 100 })
  const [category] = await studio.call('category:list', {})
  return { categoryId: category!.id, imageIds: images.items.map((item) => item.id) }
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
