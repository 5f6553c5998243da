/**
 * A studio tab that loses its server (browser mode): one "reconnecting" banner and no error
 * notices while it is down; the same server back (same port and token) removes the banner and the
 * window shows what changed meanwhile; a restart with a new token leads to the new address (the
 * banner, and a page that says so on reload).
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createToken } from '../../src/main/server/auth'
import { mediaRoute } from '../../src/main/server/mediaRoute'
import { startStudioServer, type StudioServer } from '../../src/main/server/server'
import { launchBrowser, openStudioPage, screenshot, startStudio, type StudioUnderTest } from './harness'

const RENDERER_DIR = 'out/renderer'

let studio: StudioUnderTest
let server: StudioServer
let browser: Browser
let page: Page
let consoleErrors: string[]

function restartServer(token: string): Promise<StudioServer> {
  return startStudioServer({ dispatch: studio.core.dispatch, events: studio.core.events, rendererDir: RENDERER_DIR, routes: [mediaRoute(studio.core.context)], port: server.port, token })
}

beforeAll(async () => {
  studio = await startStudio()
  server = studio.server
  browser = await launchBrowser()
  ;({ page, consoleErrors } = await openStudioPage(browser))
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await studio?.core.close()
})

const errorNotices = () => page.locator('[data-testid="notice"][data-level="error"]').count()

describe('a studio tab that loses its server', () => {
  it('shows one "reconnecting" banner while the server is down, and no error notices', async () => {
    await page.goto(server.launchUrl)
    await page.getByTestId('welcome-open-demo').click()
    await page.getByTestId('workspace').waitFor()
    await expect.poll(() => page.getByTestId('image-row').count()).toBe(12)
    await expect(page.getByTestId('connection-banner').count()).resolves.toBe(0)

    await server.close()
    await page.locator('[data-testid="connection-banner"][data-state="reconnecting"]').waitFor()
    // The user keeps working: every call fails, none of them adds a notice.
    await page.getByTestId('image-row').nth(3).click()
    await page.keyboard.press('d')
    await page.getByTestId('image-row').nth(5).click()
    await page.getByTestId('image-row').nth(1).click()
    await expect.poll(() => page.getByTestId('connection-banner').count()).toBe(1)
    await expect(page.getByTestId('connection-banner').textContent()).resolves.toContain('reconnecting')
    expect(await errorNotices()).toBe(0)
    // The list keeps what it showed.
    expect(await page.getByTestId('image-row').count()).toBe(12)
    await screenshot(page, 'connection-01-lost')
  })

  it('reconnects when the server is back on the same port and token, and shows what changed meanwhile', async () => {
    // Changed while the tab could not hear about it.
    await studio.call('category:create', { name: 'made-while-away' })
    server = await restartServer(server.token)
    await page.getByTestId('connection-banner').waitFor({ state: 'detached', timeout: 30_000 })
    await page.locator('[data-testid="category-row"]', { hasText: 'made-while-away' }).waitFor()
    // The open image's pixels, which could not load while the server was away, are drawn.
    await page.locator('[data-testid="canvas"][data-image-state="ready"]').waitFor()
    expect(await errorNotices()).toBe(0)
    await screenshot(page, 'connection-02-back')
  })

  it('after a restart with a new token, says to open the new address (banner, then the page on reload)', async () => {
    await server.close()
    await page.locator('[data-testid="connection-banner"][data-state="reconnecting"]').waitFor()
    server = await restartServer(createToken())
    await page.locator('[data-testid="connection-banner"][data-state="restarted"]').waitFor({ timeout: 30_000 })
    await expect(page.getByTestId('connection-banner').textContent()).resolves.toContain('open the new address printed in the terminal'.replace('open', 'Open'))
    expect(await errorNotices()).toBe(0)
    await screenshot(page, 'connection-03-restarted')

    const response = await page.reload()
    expect(response?.status()).toBe(401)
    await expect(page.locator('h1').textContent()).resolves.toBe('The studio was restarted')
    await expect(page.locator('body').textContent()).resolves.toContain('new address printed in the terminal')
    await screenshot(page, 'connection-04-reload')
    // Failed loads show in the console as such; nothing else went wrong.
    expect(consoleErrors.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED|WebSocket/.test(e))).toEqual([])
  })
})
