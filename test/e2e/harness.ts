/** Shared set-up for browser tests: the browser-mode server in-process, Debian's Chromium. */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { InvokeChannel, RequestOf, ResponseOf } from '../../src/common/ipc/contract'
import type { ModelCatalog } from '../../src/common/models/catalog'
import { StudioError } from '../../src/common/ipc/result'
import { createStudioCore, type StudioCore } from '../../src/main/api/studioCore'
import { mediaRoute } from '../../src/main/server/mediaRoute'
import { startStudioServer, type StudioServer } from '../../src/main/server/server'
import { PageApi } from './pageApi'

export const ARTIFACTS_DIR = path.resolve('test-artifacts')
const RENDERER_DIR = path.resolve('out/renderer')

export interface StudioUnderTest {
  readonly core: StudioCore
  readonly server: StudioServer
  readonly dataDir: string
  /** Asks the core directly (in-process, past the browser), e.g. to check what the UI stored. */
  call<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>
  close(): Promise<void>
}

/** `modelCatalog` replaces the bundled catalog (whose models live on the internet). */
export async function startStudio(options: { readonly modelCatalog?: ModelCatalog } = {}): Promise<StudioUnderTest> {
  if (!existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`${RENDERER_DIR}/index.html is missing: run \`npm run build\` before the browser tests`)
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'studio-e2e-'))
  const core = await createStudioCore({ host: 'browser', dataDir, log: () => {}, modelCatalog: options.modelCatalog })
  const server = await startStudioServer({ dispatch: core.dispatch, events: core.events, rendererDir: RENDERER_DIR, routes: [mediaRoute(core.context)] })
  return {
    core,
    server,
    dataDir,
    async call(channel, request) {
      const result = await core.dispatch(channel, request, { transport: 'in-process' })
      if (!result.ok) throw StudioError.fromData(result.error)
      return result.value as ResponseOf<typeof channel>
    },
    async close() {
      await server.close()
      await core.close()
    },
  }
}

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
}

/** `showScrollbars`: keep classic scrollbars, which take room as on the desktop (headless hides them). */
export async function launchBrowser(options: { readonly showScrollbars?: boolean } = {}): Promise<Browser> {
  const executablePath = chromiumPath()
  if (!existsSync(executablePath)) {
    throw new Error(`no Chromium at ${executablePath}: install Debian's chromium package or set CHROMIUM_PATH`)
  }
  return chromium.launch({
    executablePath,
    headless: true,
    ...(options.showScrollbars ? { ignoreDefaultArgs: ['--hide-scrollbars'] } : {}),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true })
  const file = path.join(ARTIFACTS_DIR, `${name}.png`)
  await page.screenshot({ path: file })
  return file
}

export interface StudioPage {
  readonly page: Page
  /** Every API call the page made, with its answer. */
  readonly api: PageApi
  /** Console errors and uncaught exceptions of the page (a test ends expecting none). */
  readonly consoleErrors: string[]
}

/** A desktop-sized page that records its API calls and its errors. */
export async function openStudioPage(browser: Browser): Promise<StudioPage> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  const consoleErrors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text())
  })
  page.on('pageerror', (error) => consoleErrors.push(error.message))
  return { page, api: new PageApi(page), consoleErrors }
}
