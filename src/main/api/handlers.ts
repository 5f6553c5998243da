/**
 * Binds every contract channel to the services. This file is the map from the contract to the
 * code that answers it; the logic itself lives in services.
 */
import { invokeChannelNames, type InvokeChannel } from '../../common/ipc/contract'
import { StudioError } from '../../common/ipc/result'
import { readAppInfo, type AppHost } from '../services/system/appInfo'
import type { Handler, Handlers } from './dispatch'

/** Native dialogs exist only in the desktop app; other hosts leave this out. */
export interface DialogService {
  pickPath(kind: 'folder' | 'open-file' | 'save-file', title: string, defaultName?: string): Promise<string | null>
}

export interface StudioServices {
  readonly host: AppHost
  readonly dialogs?: DialogService
}

type PartialHandlers = { [C in InvokeChannel]?: Handler<C> }

/**
 * Channels whose services are still being built answer with a clear error instead of being
 * missing, so the contract, the transports and the renderer can be developed against them.
 */
function unavailable(channel: InvokeChannel): Handler<InvokeChannel> {
  return () => {
    throw new StudioError('internal', `"${channel}" is not available in this build yet`)
  }
}

export function createHandlers(services: StudioServices): Handlers {
  const implemented: PartialHandlers = {
    'app:info': () => readAppInfo(services.host),
    'dialog:pickPath': async ({ kind, title, defaultName }) => {
      if (!services.dialogs) return { path: null, supported: false }
      return { path: await services.dialogs.pickPath(kind, title, defaultName), supported: true }
    },
  }
  const handlers: Record<string, Handler<InvokeChannel>> = {}
  for (const channel of invokeChannelNames) {
    handlers[channel] = (implemented[channel] as Handler<InvokeChannel> | undefined) ?? unavailable(channel)
  }
  return handlers as unknown as Handlers
}
