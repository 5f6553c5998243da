import { queueStatus } from '../../services/queue/studioQueue'
import type { StudioContext } from '../context'
import type { Handlers } from '../dispatch'

export function queueHandlers(context: StudioContext): Pick<Handlers, 'queue:workers'> {
  return {
    'queue:workers': async () => {
      const { url, workers, problem } = await queueStatus(context.options.dataDir)
      return { url, workers: workers.map(({ startedAt: _startedAt, ...worker }) => worker), problem, checkedAt: Date.now() }
    },
  }
}
