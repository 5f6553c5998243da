/** Desktop lifecycle: one window, hardened, wired to the shared studio core. */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, session } from 'electron'
import { mediaReply } from '../api/media'
import { createStudioCore } from '../api/studioCore'
import { contentSecurityPolicy } from '../security/csp'
import { isAllowedNavigation, originOf } from '../security/navigation'
import { APP_ORIGIN, handleAppProtocol, registerAppSchemePrivileges } from './appProtocol'
import { electronDialogs } from './dialogs'
import { forwardEvents, registerIpc } from './ipc'
import { studioWebPreferences } from './webPreferences'

const outDir = path.dirname(fileURLToPath(import.meta.url))
const devServerUrl = process.env.ELECTRON_RENDERER_URL

function hardenSessions(entryUrl: string): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
  if (devServerUrl) {
    // The dev server's pages come over http, so the CSP is attached as a response header here.
    const csp = contentSecurityPolicy({ devServer: new URL(devServerUrl).origin, connect: [devServerUrl.replace(/^http/, 'ws')] })
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } })
    })
  }
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAllowedNavigation(url, entryUrl)) event.preventDefault()
    })
    contents.on('will-redirect', (event, url) => {
      if (!isAllowedNavigation(url, entryUrl)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })
}

/**
 * For the Electron smoke test: once the renderer has filled its status bar through the real
 * preload and IPC path, print what it shows and quit.
 */
function reportSmokeTest(window: BrowserWindow): void {
  const deadline = Date.now() + 20_000
  const poll = async (): Promise<void> => {
    const text = (await window.webContents.executeJavaScript(
      `document.querySelector('[data-testid="status-bar"]')?.getAttribute('data-ready') === 'true' ? document.querySelector('[data-testid="status-bar"]').textContent : ''`,
    )) as string
    if (text || Date.now() > deadline) {
      process.stdout.write(`STUDIO_SMOKE_TEST ${JSON.stringify({ statusBar: text })}\n`)
      app.exit(text ? 0 : 1)
      return
    }
    setTimeout(() => void poll(), 100)
  }
  window.webContents.once('did-finish-load', () => void poll())
}

export function runDesktopApp(): void {
  registerAppSchemePrivileges()
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  const entryUrl = devServerUrl ?? `${APP_ORIGIN}/index.html`
  const appOrigin = originOf(entryUrl) ?? APP_ORIGIN

  void app.whenReady().then(async () => {
    hardenSessions(entryUrl)
    let window: BrowserWindow | null = null
    // The studio's own data folder, not Electron's userData: the CLI and browser mode see the same
    // models, recent projects and demo project.
    const core = await createStudioCore({ host: 'electron', dialogs: electronDialogs(() => window) })
    handleAppProtocol(path.join(outDir, '../renderer'), (request) => mediaReply(core.context, request))
    registerIpc(core.dispatch, appOrigin)

    window = new BrowserWindow({
      width: 1440,
      height: 900,
      show: false,
      title: 'PerSAM Studio',
      backgroundColor: '#16181d',
      webPreferences: studioWebPreferences(path.join(outDir, '../preload/index.cjs')),
    })
    forwardEvents(core.events, window.webContents)
    window.once('ready-to-show', () => window.show())
    if (process.env.STUDIO_SMOKE_TEST === '1') reportSmokeTest(window)
    void window.loadURL(entryUrl)

    app.on('second-instance', () => {
      if (window.isMinimized()) window.restore()
      window.focus()
    })
    app.on('window-all-closed', () => {
      void core.close().finally(() => app.quit())
    })
  })
}
