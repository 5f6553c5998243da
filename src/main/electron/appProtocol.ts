/**
 * The renderer is served from `studio://app/` rather than file://, so the page has a real origin
 * for its CSP and for the IPC sender check, and the protocol handler can confine what it serves.
 */
import { protocol } from 'electron'
import { appRequestHandler, type MediaResponder } from './appRequests'

export const APP_SCHEME = 'studio'
export const APP_ORIGIN = `${APP_SCHEME}://app`

/** Must run before the app is ready. */
export function registerAppSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ])
}

export function handleAppProtocol(rendererDir: string, media: MediaResponder): void {
  protocol.handle(APP_SCHEME, appRequestHandler(rendererDir, media))
}
