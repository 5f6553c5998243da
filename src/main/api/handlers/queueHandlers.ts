import { connectedWorkers } from '../../services/queue/studioQueue'
import type { StudioContext } from '../context'
import type { Handlers } from '../dispatch'

export function queueHandlers(context: StudioContext): Pick<Handlers, 'queue:workers'> {
  return {
    'queue:workers': async () => {
      try {
        const { url, workers } = await connectedWorkers(context.options.dataDir)
        return { url, workers: workers.map(({ startedAt: _startedAt, ...worker }) => worker), problem: null }
      } catch (error) {
        return { url: null, workers: [], problem: error instanceof Error ? error.message : String(error) }
      }
    },
  }
}
