/**
 * Binds every contract channel to the services, by domain. The `Handlers` type makes a missing
 * or extra channel a compile error.
 */
import type { StudioContext } from './context'
import type { Handlers } from './dispatch'
import { browseHandlers } from './handlers/browseHandlers'
import { calibrationHandlers } from './handlers/calibrationHandlers'
import { editHandlers } from './handlers/editHandlers'
import { imageHandlers } from './handlers/imageHandlers'
import { jobHandlers } from './handlers/jobHandlers'
import { modelHandlers } from './handlers/modelHandlers'
import { projectHandlers } from './handlers/projectHandlers'
import { queueHandlers } from './handlers/queueHandlers'
import { sequenceHandlers } from './handlers/sequenceHandlers'
import { guardWrites } from './writeGuard'

export function createHandlers(context: StudioContext): Handlers {
  return guardWrites(
    {
      ...projectHandlers(context),
      ...imageHandlers(context),
      ...editHandlers(context),
      ...jobHandlers(context),
      ...modelHandlers(context),
      ...browseHandlers(context),
      ...calibrationHandlers(context),
      ...queueHandlers(context),
      ...sequenceHandlers(context),
    },
    context,
  )
}
