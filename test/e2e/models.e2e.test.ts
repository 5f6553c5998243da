/**
 * The models panel (issue 9's UI) in Chromium against the real studio core: the installed toy
 * model in use, the execution providers with the reasons some are unavailable, choosing one (the
 * choice is stored per machine, and the panel shows which provider really runs once the model
 * loads), a refused import shown in words, and a download's progress and cancel.
 *
 * model:install, model:import and model:remove still answer "not available in this build yet";
 * the download's progress is therefore driven by a stand-in job started in the core's own job
 * manager (real job:progress events, real job:cancel), as the model manager will start it.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoObjectIn } from '../helpers/demoObjects'
import { launchBrowser, screenshot, startStudio, type StudioUnderTest } from './harness'
import { PageApi } from './pageApi'
import { clickImage, imageShown, previewSettled } from './studioPage'

let studio: StudioUnderTest
let browser: Browser
let page: Page
let api: PageApi
const consoleErrors: string[] = []

beforeAll(async () => {
  studio = await startStudio()
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  api = new PageApi(page)
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text())
  })
  page.on('pageerror', (error) => consoleErrors.push(error.message))
})

afterAll(async () => {
  await browser?.close()
  await studio?.close()
})

const panel = () => page.getByTestId('models-panel')

describe('the models panel in Chromium, against the real studio core', () => {
  it('opens from the welcome screen and lists the installed toy model, in use, and an empty catalog', async () => {
    await page.goto(studio.server.launchUrl)
    await page.getByTestId('toy-model-warning').waitFor()
    await page.getByTestId('welcome-manage-models').click()
    await panel().waitFor()
    const toy = panel().locator('[data-testid="installed-model"][data-model-id="toy-sam"]')
    await expect(toy.textContent()).resolves.toMatch(/Toy SAM.*in use.*toy/)
    await expect(panel().getByTestId('model-use').count()).resolves.toBe(0)
    await panel().getByTestId('catalog-empty').waitFor()
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

    await panel().getByTestId('provider-cpu').locator('input').check()
    await expect.poll(async () => (await studio.call('model:state', {})).requestedProvider).toBe('cpu')
    await expect(panel().getByTestId('provider-cpu').locator('input').isChecked()).resolves.toBe(true)
    // Per machine: the studio's settings file (read again at the next start).
    await expect.poll(() => JSON.parse(readFileSync(path.join(studio.dataDir, 'settings.json'), 'utf8')).provider).toBe('cpu')
  })

  it('shows which provider really runs once the model has loaded', async () => {
    await page.keyboard.press('Escape')
    await panel().waitFor({ state: 'detached' })
    await page.getByTestId('welcome-open-demo').click()
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

  it('shows a download with bytes, speed and time left, and cancels it', async () => {
    const megabytes = 1_000_000
    let reported = 0
    // The stand-in download: 5 MB every 50 ms of a 375 MB file, until it is cancelled.
    const started = studio.core.context.jobs.start({
      kind: 'model-install',
      label: 'Download SAM ViT-B',
      total: 375 * megabytes,
      run: async ({ signal, progress }) => {
        while (!signal.aborted && reported < 375 * megabytes) {
          await new Promise((resolve) => setTimeout(resolve, 50))
          reported += 5 * megabytes
          progress(reported)
        }
        if (signal.aborted) throw new Error('cancelled')
        return null
      },
    })
    const row = panel().locator(`[data-testid="download"][data-job-id="${started.id}"]`)
    await row.waitFor()
    await expect.poll(async () => (await row.getByTestId('download-rate').textContent()) ?? '').toMatch(/MB\/s$/)
    await expect(row.getByTestId('download-bytes').textContent()).resolves.toMatch(/^\d+(\.\d)? MB \/ 375 MB$/)
    await expect(row.textContent()).resolves.toMatch(/ETA \d+ s/)
    await screenshot(page, 'models-03-downloading')

    await row.getByTestId('download-cancel').click()
    await page.locator(`[data-testid="download"][data-job-id="${started.id}"][data-state="cancelled"]`).waitFor()
    await expect(row.getByTestId('download-outcome').textContent()).resolves.toBe('Cancelled; nothing was installed.')
    expect(api.requests('job:cancel')).toEqual([{ jobId: started.id }])
    expect((await studio.call('job:list', {})).find((j) => j.id === started.id)?.state).toBe('cancelled')
    const stoppedAt = reported
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(reported).toBe(stoppedAt)
    await screenshot(page, 'models-04-cancelled')
    expect(consoleErrors).toEqual([])
  })
})
