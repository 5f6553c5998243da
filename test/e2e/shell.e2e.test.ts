import { statSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readAppInfo } from '../../src/main/services/system/appInfo'
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

describe('studio shell in the browser', () => {
  it('fills the status bar from app:info through the browser-mode transport', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const consoleErrors: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text())
    })
    await page.goto(studio.server.launchUrl)
    // The launch token is traded for a cookie and removed from the address bar.
    expect(page.url()).toBe(`${studio.server.url}/`)

    const statusBar = page.getByTestId('status-bar')
    await statusBar.and(page.locator('[data-ready="true"]')).waitFor()
    const info = readAppInfo('browser')
    await expect(page.getByTestId('status-version').textContent()).resolves.toBe(`PerSAM Studio ${info.version}`)
    await expect(page.getByTestId('status-onnxruntime').textContent()).resolves.toBe(`onnxruntime-node ${info.onnxruntime.version}`)
    await expect(page.getByTestId('status-providers').textContent()).resolves.toContain('CPU')
    await expect(page.getByTestId('status-host').textContent()).resolves.toBe('browser mode')

    const file = await screenshot(page, '01-shell-status-bar')
    expect(statSync(file).size).toBeGreaterThan(5_000)
    expect(consoleErrors).toEqual([])
  })

  it('cannot reach the API from a page without the token', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const response = await page.goto(studio.server.url)
    // A page load without the token gets a short page saying where the right address is, not the studio.
    expect(response?.status()).toBe(401)
    await expect(page.locator('body').textContent()).resolves.toContain('open the new address printed in the terminal'.replace('open', 'Open'))
    await expect(page.getByTestId('status-bar').count()).resolves.toBe(0)
    await context.close()
  })
})
