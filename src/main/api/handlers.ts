/**
 * Binds every contract channel to the services. This file is the map from the contract to the
 * code that answers it; the logic itself lives in services.
 */
import { readAppInfo, type AppHost } from '../services/system/appInfo'
import type { Handlers } from './dispatch'

export interface StudioServices {
  readonly host: AppHost
}

export function createHandlers(services: StudioServices): Handlers {
  return {
    'app:info': () => readAppInfo(services.host),
  }
}
