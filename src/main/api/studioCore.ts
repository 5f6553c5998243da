/**
 * The composition root shared by every host: the Electron main process, the browser-mode
 * server and in-process tests build the same context, handlers and dispatch here.
 */
import type { ModelCatalog } from '../../common/models/catalog'
import type { AppHost } from '../services/system/appInfo'
import { studioDataDir } from '../services/models/modelPaths'
import { StudioContext } from './context'
import { createDispatch, type Dispatch } from './dispatch'
import { EventHub } from './events'
import type { DialogService } from './dialogs'
import { createHandlers } from './handlers'
import { ReviewCalibrationHost } from './reviewCalibrationHost'

export interface StudioCoreOptions {
  readonly host: AppHost
  readonly dialogs?: DialogService
  /** Per-user state (recent projects, settings, models, demo project); default: studioDataDir(). */
  readonly dataDir?: string
  readonly log?: (message: string, error?: unknown) => void
  /** The model catalog; default: the bundled one (tests serve their own). */
  readonly modelCatalog?: ModelCatalog
}

export interface StudioCore {
  readonly dispatch: Dispatch
  readonly events: EventHub
  readonly context: StudioContext
  /** Refits the review calibration as people's decisions come in. */
  readonly calibrationRefits: ReviewCalibrationHost
  close(): Promise<void>
}

export async function createStudioCore(options: StudioCoreOptions): Promise<StudioCore> {
  const log = options.log ?? ((message, error) => console.error(message, error))
  const events = new EventHub()
  const context = await StudioContext.create({
    host: options.host,
    dataDir: options.dataDir ?? studioDataDir(),
    events,
    dialogs: options.dialogs,
    log,
    modelCatalog: options.modelCatalog,
  })
  const dispatch = createDispatch(createHandlers(context), {
    onInternalError: (channel, error) => log(`[studio] ${channel} failed unexpectedly`, error),
  })
  const calibrationRefits = new ReviewCalibrationHost(context)
  const close = async (): Promise<void> => {
    calibrationRefits.dispose()
    await context.close()
  }
  return { dispatch, events, context, calibrationRefits, close }
}
