/**
 * Binds every contract channel to the services, by domain. The `Handlers` type makes a missing
 * or extra channel a compile error.
 */
import type { StudioContext } from './context'
import type { Handlers } from './dispatch'
import { editHandlers } from './handlers/editHandlers'
import { imageHandlers } from './handlers/imageHandlers'
import { jobHandlers } from './handlers/jobHandlers'
import { modelHandlers } from './handlers/modelHandlers'
import { projectHandlers } from './handlers/projectHandlers'
import { queueHandlers } from './handlers/queueHandlers'

/** Native dialogs exist only in the desktop app; other hosts leave this out. */
export interface DialogService {
  pickPath(kind: 'folder' | 'open-file' | 'save-file', title: string, defaultName?: string): Promise<string | null>
}

export function createHandlers(context: StudioContext): Handlers {
  return {
    ...projectHandlers(context),
    ...imageHandlers(context),
    ...editHandlers(context),
    ...jobHandlers(context),
    ...modelHandlers(context),
    ...queueHandlers(context),
  }
}
