/**
 * The workers panel against a real queue: a redis-server on a free port, a real
 * `persam-studio worker` process (toy model, CPU) and the studio in browser mode with the queue
 * configured. The worker appears with its provider, its throughput rises while a queued
 * propagation runs, and once the worker is killed it disappears when its heartbeat expires.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HEARTBEAT_TTL_SECONDS } from '../../src/main/services/queue/workerRegistry'
import { storedMaskFromBinary } from '../../src/main/services/store/masks'
import { NO_REDIS_MESSAGE, RedisInstance, redisServerBinary, startCliWorker, type CliWorker } from '../helpers/redisServer'
import { launchBrowser, openStudioPage, screenshot, startStudio, type StudioUnderTest } from './harness'
import { openDemo, type DemoSeed } from './seed'

let studio: StudioUnderTest
let browser: Browser
let page: Page
let consoleErrors: string[]
let redis: RedisInstance | null = null
let worker: CliWorker | null = null
let seed: DemoSeed

if (!redisServerBinary) console.warn(`${NO_REDIS_MESSAGE} (the workers panel browser test needs one)`)
const describeWithRedis = redisServerBinary ? describe : describe.skip

beforeAll(async () => {
  if (!redisServerBinary) return
  redis = await RedisInstance.start()
  studio = await startStudio()
  writeFileSync(path.join(studio.dataDir, 'queue.json'), JSON.stringify({ url: redis.url }))
  browser = await launchBrowser()
  ;({ page, consoleErrors } = await openStudioPage(browser))
  seed = await openDemo(studio, page)
}, 180_000)

afterAll(async () => {
  await worker?.kill('SIGTERM')
  await browser?.close()
  await studio?.close()
  await redis?.kill()
})

/** An accepted rectangle on the first photo, made the category's reference. */
async function addReference(): Promise<void> {
  const imageId = seed.imageIds[0]!
  const { width, height } = (await studio.call('image:get', { imageId })).image
  const data = new Uint8Array(width * height)
  for (let y = 40; y < 140; y++) data.fill(1, y * width + 60, y * width + 180)
  const created = studio.core.context.current!.project.annotations.create({ imageId, categoryId: seed.categoryId, mask: storedMaskFromBinary({ width, height, data }), status: 'accepted', source: 'manual' })
  await studio.call('annotation:setReference', { annotationId: created.id, isReference: true })
}

const row = () => page.getByTestId('worker-row')

describeWithRedis('the workers panel', () => {
  it('shows the configured queue with no worker, then the worker with its model and provider', async () => {
    await page.getByTestId('open-workers').click()
    await page.getByTestId('workers-panel').waitFor()
    await page.locator('[data-testid="queue-state"][data-state="connected"]').waitFor()
    await expect(page.getByTestId('queue-state').textContent()).resolves.toContain(redis!.url)
    await page.getByTestId('workers-none').waitFor()

    worker = await startCliWorker(redis!.url)
    await row().waitFor({ timeout: 30_000 })
    expect(await row().count()).toBe(1)
    await expect(row().getByTestId('worker-provider').textContent()).resolves.toBe('cpu')
    await expect(row().getByTestId('worker-model').textContent()).resolves.toBe('toy-sam')
    await expect(row().getByTestId('worker-throughput').textContent()).resolves.toBe('—')
    await screenshot(page, 'workers-panel-idle')
  })

  it('shows the worker\'s throughput rise while a queued propagation runs, and its finished count', async () => {
    await addReference()
    const job = await studio.call('propagation:start', { categoryId: seed.categoryId, method: 'persam', scope: 'unlabeled' })
    await page.locator('[data-testid="worker-row"]:not([data-images-per-second="0.000"])').waitFor({ timeout: 120_000 })
    await screenshot(page, 'workers-panel-busy')
    // The job went through the queue: the worker's finished count covers every image.
    await expect.poll(async () => (await studio.call('job:list', {})).find((j) => j.id === job.id)?.state, { timeout: 180_000, interval: 500 }).toBe('done')
    const total = (await studio.call('job:list', {})).find((j) => j.id === job.id)!.total
    await expect.poll(async () => Number(await row().getByTestId('worker-done').textContent()), { timeout: 30_000, interval: 500 }).toBe(total)
  })

  it('drops a killed worker once its heartbeat expires', async () => {
    await worker!.kill('SIGKILL')
    // Still listed right after the kill (its heartbeat has not expired), gone after the TTL.
    await row().waitFor({ state: 'detached', timeout: (HEARTBEAT_TTL_SECONDS + 15) * 1000 })
    await page.getByTestId('workers-none').waitFor()
    expect(consoleErrors).toEqual([])
  })
})
