import type { WebPreferences } from 'electron'

/**
 * The renderer is treated as untrusted: no Node, an isolated world for the preload, the
 * Chromium sandbox on, and nothing that would let page content widen its own privileges.
 */
export function studioWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  }
}
