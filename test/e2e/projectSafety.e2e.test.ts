/**
 * Opening a project another process holds, in the browser: the welcome screen says who holds it
 * and offers "Open read-only"; the workspace then shows the read-only badge.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ProjectLock } from '../../src/main/services/store/projectLock'
import { projectWithAnnotations } from '../main/services/store/damage'
import { launchBrowser, screenshot, startStudio, type StudioUnderTest } from './harness'

let studio: StudioUnderTest
let browser: Browser

beforeAll(async () => {
  studio = await startStudio()
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await studio?.close()
})

describe('a project open elsewhere', () => {
  it('is refused naming the holder, and opens read-only with a badge', async () => {
    const dir = projectWithAnnotations(3)
    const lock = ProjectLock.acquire(dir, { holder: { kind: 'cli', label: 'propagate' } })
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
      await page.goto(studio.server.launchUrl)
      await page.getByTestId('open-project-dir').fill(dir)
      await page.getByTestId('open-submit').click()
      const refusal = page.getByTestId('project-refusal')
      await refusal.waitFor()
      await expect(refusal.textContent()).resolves.toContain(`is open in the CLI "propagate" (pid ${process.pid}`)
      await screenshot(page, 'project-locked-refusal')

      await page.getByTestId('open-read-only').click()
      const badge = page.getByTestId('read-only-badge')
      await badge.waitFor()
      await expect(badge.textContent()).resolves.toBe('read-only')
      await expect(page.getByTestId('project-status').textContent()).resolves.toContain('it is open in the CLI "propagate"')
      await page.locator('.sidebar--right', { hasText: 'mug' }).waitFor() // the categories panel read the project
      expect(await page.locator('body').textContent()).not.toContain('readonly database')
      await screenshot(page, 'project-read-only-badge')
      expect((await studio.call('project:current', {}))?.readOnly?.reason).toBe('locked')
      await page.close()
    } finally {
      lock.release()
    }
  }, 120_000)
})
