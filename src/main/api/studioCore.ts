/**
 * The composition root shared by every host: the Electron main process, the browser-mode
 * server and in-process tests build the same context, handlers and dispatch here.
 */
import type { AppHost } from '../services/system/appInfo'
import { defaultDataDir } from '../services/system/dataDir'
import { StudioContext } from './context'
import { createDispatch, type Dispatch } from './dispatch'
import { EventHub } from './events'
import { createHandlers, type DialogService } from './handlers'

export interface StudioCoreOptions {
  readonly host: AppHost
  readonly dialogs?: DialogService
  /** Per-user state (recent projects, settings, models, demo project); default: defaultDataDir(). */
  readonly dataDir?: string
  readonly log?: (message: string, error?: unknown) => void
}

export interface StudioCore {
  readonly dispatch: Dispatch
  readonly events: EventHub
  readonly context: StudioContext
  close(): Promise<void>
}

export async function createStudioCore(options: StudioCoreOptions): Promise<StudioCore> {
  const log = options.log ?? ((message, error) => console.error(message, error))
  const events = new EventHub()
  const context = await StudioContext.create({
    host: options.host,
    dataDir: options.dataDir ?? defaultDataDir(),
    events,
    dialogs: options.dialogs,
    log,
  })
  const dispatch = createDispatch(createHandlers(context), {
    onInternalError: (channel, error) => log(`[studio] ${channel} failed unexpectedly`, error),
  })
  return { dispatch, events, context, close: () => context.close() }
}
