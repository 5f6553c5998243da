/**
 * The composition root shared by every host: the Electron main process, the browser-mode
 * server and in-process tests build the same services, handlers and dispatch here.
 */
import type { AppHost } from '../services/system/appInfo'
import { createDispatch, type Dispatch } from './dispatch'
import { EventHub } from './events'
import { createHandlers, type DialogService } from './handlers'

export interface StudioCoreOptions {
  readonly host: AppHost
  readonly dialogs?: DialogService
  readonly log?: (message: string, error?: unknown) => void
}

export interface StudioCore {
  readonly dispatch: Dispatch
  readonly events: EventHub
  close(): Promise<void>
}

export function createStudioCore(options: StudioCoreOptions): StudioCore {
  const log = options.log ?? ((message, error) => console.error(message, error))
  const events = new EventHub()
  const handlers = createHandlers({ host: options.host, dialogs: options.dialogs })
  const dispatch = createDispatch(handlers, {
    onInternalError: (channel, error) => log(`[studio] ${channel} failed unexpectedly`, error),
  })
  return {
    dispatch,
    events,
    async close() {},
  }
}
