/**
 * The models panel in Chromium against the real studio core and model manager:
 * the installed toy model in use, the execution providers with the reasons some are unavailable,
 * choosing one (stored per machine; the panel shows which provider really runs once the model
 * loads), a refused import shown in words, and a real download from a model host on 127.0.0.1
 * (the toy model as a catalog entry): progress, cancel, then install, use and remove.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoObjectIn } from '../helpers/demoObjects'
import type { ModelFileServer } from '../helpers/modelFileServer'
import { DECODER_PATH, startServer, toyEntry } from '../main/services/models/installHarness'
import { launchBrowser, openStudioPage, screenshot, startStudio, type StudioUnderTest } from './harness'
import type { PageApi } from './pageApi'
import { clickImage, imageShown, previewSettled } from './studioPage'

let modelHost: ModelFileServer
let studio: StudioUnderTest
let browser: Browser
let page: Page
let api: PageApi
let consoleErrors: string[]

beforeAll(async () => {
  modelHost = startServer()
  await modelHost.start()
  studio = await startStudio({ modelCatalog: { schemaVersion: 1, models: [toyEntry(modelHost)] } })
  browser = await launchBrowser()
  ;({ page, api, consoleErrors } = await openStudioPage(browser))
})

afterAll(async () => {
  await browser?.close()
  await studio?.close()
  await modelHost?.close()
})

const panel = () => page.getByTestId('models-panel')

describe('the models panel in Chromium, against the real studio core', () => {
  it('opens from the welcome screen and lists the installed toy model, in use, and the catalog', async () => {
    await page.goto(studio.server.launchUrl)
    await page.getByTestId('toy-model-warning').waitFor()
    await page.getByTestId('welcome-manage-models').click()
    await panel().waitFor()
    const toy = panel().locator('[data-testid="installed-model"][data-model-id="toy-sam"]')
    await expect(toy.textContent()).resolves.toMatch(/Toy SAM.*in use.*toy/)
    await expect(panel().getByTestId('model-use').count()).resolves.toBe(0)
    const remote = panel().locator('[data-testid="catalog-model"][data-model-id="toy-remote"]')
    await expect(remote.textContent()).resolves.toMatch(/Toy SAM from a test server.*checked download/)
    await expect(remote.getByTestId('model-install').isEnabled()).resolves.toBe(true)
    await panel().getByTestId('models-toy-warning').waitFor()
  })

  it('lists the providers with the reason each unavailable one cannot run, and stores the choice', async () => {
    const providers = await studio.call('model:providers', {})
    for (const provider of providers) {
      const row = panel().getByTestId(`provider-${provider.name}`)
      await expect(row.getAttribute('data-available')).resolves.toBe(String(provider.available))
      if (!provider.available) await expect(row.textContent()).resolves.toContain(provider.reason!)
      await expect(row.locator('input').isDisabled()).resolves.toBe(!provider.available)
    }
    await expect(panel().getByTestId('provider-auto').locator('input').isChecked()).resolves.toBe(true)
    await expect(panel().getByTestId('active-provider').textContent()).resolves.toMatch(/loads on first use/)
    await screenshot(page, 'models-01-panel')

    // A controlled radio: it shows the studio's answer, so it turns on after the round trip.
    await panel().getByTestId('provider-cpu').locator('input').click()
    await expect.poll(async () => (await studio.call('model:state', {})).requestedProvider).toBe('cpu')
    await expect.poll(() => panel().getByTestId('provider-cpu').locator('input').isChecked()).toBe(true)
    // Per machine: the studio's settings file (read again at the next start).
    await expect.poll(() => JSON.parse(readFileSync(path.join(studio.dataDir, 'model-settings.json'), 'utf8')).provider).toBe('cpu')
  })

  it('shows which provider really runs once the model has loaded', async () => {
    await page.keyboard.press('Escape')
    await panel().waitFor({ state: 'detached' })
    await page.getByTestId('welcome-open-demo').click()
    await page.getByTestId('workspace').waitFor()
    await expect.poll(() => page.getByTestId('image-row').count()).toBe(12)
    const first = (await studio.call('image:list', { offset: 0, limit: 1 })).items[0]!
    await imageShown(page, first.id)
    const object = demoObjectIn(first.fileName)!
    await clickImage(page, object.x, object.y)
    await previewSettled(page)
    await page.getByTestId('status-provider').filter({ hasText: 'provider: cpu' }).waitFor()
    await page.keyboard.press('Escape')
    await page.keyboard.press('m')
    await panel().getByTestId('provider-cpu').locator('.badge', { hasText: 'running' }).waitFor()
    await expect(panel().getByTestId('active-provider').textContent()).resolves.toBe('cpu')
    await expect(panel().locator('[data-testid="installed-model"][data-model-id="toy-sam"]').textContent()).resolves.toContain('in use · loaded')
  })

  it('says in words why an import did not happen', async () => {
    await panel().getByTestId('model-import-path').fill('/models/mobile-sam')
    await panel().getByTestId('model-import-submit').click()
    const error = panel().locator('[data-testid="model-action-error"][data-action="import"]')
    await error.waitFor()
    const [refused] = api.failures().filter((f) => f.startsWith('model:import'))
    expect(refused).toBeDefined()
    const reason = refused!.slice('model:import: '.length)
    await expect(error.textContent()).resolves.toContain(`Importing /models/mobile-sam failed: ${reason}`)
    await screenshot(page, 'models-02-import-refused')
    await error.getByRole('button', { name: 'Dismiss' }).click()
    await error.waitFor({ state: 'detached' })
  })

  it('shows a download with bytes, speed and time left, and cancels it: nothing is installed', async () => {
    // The decoder trickles (1 kB every 40 ms, about 3 s), long enough to watch and cancel.
    modelHost.behaviour = (file) => (file === DECODER_PATH ? { kind: 'trickle', chunkBytes: 1000, everyMs: 40 } : { kind: 'normal' })
    const remote = panel().locator('[data-testid="catalog-model"][data-model-id="toy-remote"]')
    await remote.getByTestId('model-install').click()
    const row = panel().getByTestId('download').first()
    await row.waitFor()
    const jobId = (await row.getAttribute('data-job-id'))!
    await expect.poll(async () => (await row.getByTestId('download-rate').textContent()) ?? '').toMatch(/B\/s$/)
    await expect(row.getByTestId('download-count').textContent()).resolves.toMatch(/^\d+ KB \/ 76 KB$/)
    await expect(row.textContent()).resolves.toMatch(/ETA \d+ s/)
    await screenshot(page, 'models-03-downloading')

    await row.getByTestId('download-cancel').click()
    await page.locator(`[data-testid="download"][data-job-id="${jobId}"][data-state="cancelled"]`).waitFor()
    await expect(row.getByTestId('download-outcome').textContent()).resolves.toBe('Cancelled; nothing was installed.')
    expect(api.requests('job:cancel')).toEqual([{ jobId }])
    expect((await studio.call('model:list', {})).installed.map((m) => m.id)).not.toContain('toy-remote')
    expect(existsSync(path.join(studio.dataDir, 'models', 'toy-remote'))).toBe(false)
    await screenshot(page, 'models-04-cancelled')
  })

  it('downloads it again, verifies it, uses it for segmenting, and removes it', async () => {
    modelHost.behaviour = () => ({ kind: 'normal' })
    const remote = panel().locator('[data-testid="catalog-model"][data-model-id="toy-remote"]')
    await remote.getByTestId('model-install').click()
    await remote.getByText('installed', { exact: true }).waitFor()
    const installed = panel().locator('[data-testid="installed-model"][data-model-id="toy-remote"]')
    await installed.getByTestId('model-use').click()
    await expect.poll(async () => (await studio.call('model:state', {})).activeModelId).toBe('toy-remote')
    await expect(installed.textContent()).resolves.toContain('in use')
    await screenshot(page, 'models-05-installed')

    // The new model segments: close the panel, click the object, the preview comes from it.
    await page.keyboard.press('Escape')
    await panel().waitFor({ state: 'detached' })
    const first = (await studio.call('image:list', { offset: 0, limit: 1 })).items[0]!
    const object = demoObjectIn(first.fileName)!
    await clickImage(page, object.x + 1, object.y)
    await previewSettled(page)
    await page.getByTestId('status-model').filter({ hasText: 'Toy SAM from a test server' }).waitFor()

    await page.keyboard.press('Escape')
    await page.keyboard.press('m')
    await panel().locator('[data-testid="installed-model"][data-model-id="toy-sam"]').getByTestId('model-use').click()
    await expect.poll(async () => (await studio.call('model:state', {})).activeModelId).toBe('toy-sam')
    await installed.getByTestId('model-remove').click()
    await installed.waitFor({ state: 'detached' })
    expect(existsSync(path.join(studio.dataDir, 'models', 'toy-remote'))).toBe(false)
    await remote.getByTestId('model-install').waitFor()
    expect(consoleErrors).toEqual([])
  })
})
