/**
 * DAVIS and YouTube-VIS through the UI: a DAVIS folder typed as a new project's images folder is
 * recognised and its sequences and masks come along; the export dialog offers YouTube-VIS and
 * writes one track per object.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportDavis } from '../../src/main/services/exchange/davis/davisExport'
import { buildSequenceProject } from '../main/services/exchange/davis/sequenceFixture'
import { launchBrowser, openStudioPage, screenshot, startStudio, type StudioUnderTest } from './harness'
import type { PageApi } from './pageApi'

let studio: StudioUnderTest
let browser: Browser
let page: Page
let api: PageApi
let davis: string

beforeAll(async () => {
  studio = await startStudio()
  const { project } = await buildSequenceProject()
  davis = path.join(studio.dataDir, 'davis')
  await exportDavis(project, davis)
  project.close()
  browser = await launchBrowser()
  ;({ page, api } = await openStudioPage(browser))
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await studio?.close()
})

describe('DAVIS and YouTube-VIS in the studio', () => {
  it('offers to import a DAVIS folder as a new project, with its sequences and masks', async () => {
    await page.goto(studio.server.launchUrl)
    await page.getByTestId('welcome').waitFor()
    await page.getByTestId('create-images-root').fill(davis)
    const detected = page.locator('[data-testid="create-detected"][data-davis="true"]')
    await detected.waitFor()
    await expect(detected.textContent()).resolves.toMatch(/DAVIS folder/)
    await screenshot(page, 'davis-01-new-project')
    await page.getByTestId('create-submit').click()
    await page.getByTestId('workspace').waitFor()
    expect(api.requests('project:create')[0]).toMatchObject({ imagesRoot: davis, importAnnotations: { format: 'davis', path: davis } })
    await expect.poll(async () => (await studio.call('sequence:list', {})).map((s) => [s.name, s.frameCount])).toEqual([
      ['swim', 2],
      ['walk', 3],
    ])
    await expect.poll(async () => (await studio.call('annotation:list', { statuses: ['accepted'] })).total).toBe(6)
  })

  it('exports the sequences as YouTube-VIS from the export dialog', async () => {
    await page.getByTestId('open-export').click()
    await page.getByTestId('export-dialog').waitFor()
    await page.getByTestId('export-format-davis').waitFor()
    await page.getByTestId('export-format-youtube-vis').check()
    const target = await page.getByTestId('export-path').inputValue()
    expect(target).toMatch(/export\/youtube-vis\.json$/)
    await page.getByTestId('export-start').click()
    await page.getByTestId('export-summary').waitFor()
    await screenshot(page, 'davis-02-youtube-vis-export')
    expect(existsSync(target)).toBe(true)
    const json = JSON.parse(readFileSync(target, 'utf8'))
    expect(json.videos.map((v: { name: string }) => v.name)).toEqual(['swim', 'walk'])
    expect(json.annotations).toHaveLength(4)
  })
})
