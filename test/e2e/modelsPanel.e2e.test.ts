/**
 * The models panel shows each model as the catalog and `persam-studio models list` do: the same
 * id, name and size (one size formatter for both), and the status bar names the same providers
 * the panel offers.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openStudioPage, screenshot, startStudio, type StudioUnderTest } from './harness'

interface Row {
  readonly id: string
  readonly name: string
  readonly size: string
}

let studio: StudioUnderTest
let browser: Browser
let page: Page
let cliList = ''

const catalog = JSON.parse(readFileSync('resources/models/catalog.json', 'utf8')) as { models: { id: string; name: string }[] }

function runCli(args: string[]): Promise<string> {
  const env = { ...process.env, STUDIO_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'persam-models-panel-')) }
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], { env }, (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout))),
  )
}

/** The CLI's rows in one section of `models list` ("Installed models", "Catalog"): id, name, size. */
function cliRows(section: string): Row[] {
  const lines = cliList.split('\n')
  const start = lines.findIndex((line) => line.startsWith(section))
  const rows: Row[] = []
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('  ')) break
    const [id, name, size] = line.trim().split(/ {2,}/)
    rows.push({ id: id!, name: name!, size: size! })
  }
  return rows
}

async function panelRows(testId: string): Promise<Row[]> {
  const rows = page.getByTestId(testId)
  const result: Row[] = []
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i)
    result.push({
      id: (await row.getByTestId('model-id').textContent()) ?? '',
      name: (await row.getByTestId('model-name').textContent()) ?? '',
      size: (await row.getByTestId('model-size').textContent()) ?? '',
    })
  }
  return result
}

beforeAll(async () => {
  studio = await startStudio()
  browser = await launchBrowser()
  ;({ page } = await openStudioPage(browser))
  cliList = await runCli(['models', 'list'])
})

afterAll(async () => {
  await browser?.close()
  await studio?.close()
})

describe('the models panel', () => {
  it('lists the catalog with the ids, names and sizes of the catalog and `models list`', async () => {
    await page.goto(studio.server.launchUrl)
    await page.getByTestId('status-bar').and(page.locator('[data-ready="true"]')).waitFor()
    await page.getByTestId('status-model').click()
    await page.getByTestId('models-panel').waitFor()
    await page.getByTestId('catalog-model').first().waitFor()
    await screenshot(page, 'models-panel')

    const catalogRows = cliRows('Catalog')
    expect(catalogRows.map(({ id, name }) => ({ id, name }))).toEqual(catalog.models.map(({ id, name }) => ({ id, name })))
    expect(catalogRows.find((row) => row.id === 'sam-vit-b-quant')?.size).toBe('103.5 MB')
    expect(await panelRows('catalog-model')).toEqual(catalogRows)
    expect(await panelRows('installed-model')).toEqual(cliRows('Installed models'))
  })

  it('names in the status bar the providers the panel offers', async () => {
    const offered: string[] = []
    const rows = page.locator('[data-testid^="provider-"][data-available="true"]:not([data-testid="provider-auto"]):not([data-testid="provider-picker"])')
    for (let i = 0; i < (await rows.count()); i++) offered.push((await rows.nth(i).locator('.provider__name').textContent()) ?? '')
    expect(offered.length).toBeGreaterThan(0)
    await expect(page.getByTestId('status-providers').textContent()).resolves.toBe(`runs on: ${offered.join(', ')}`)
  })
})
