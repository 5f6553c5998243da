/** model:* channels: the model manager, with installs run as background jobs. */
import { StudioError } from '../../../common/ipc/result'
import type { StudioContext } from '../context'
import type { Handlers } from '../dispatch'

type ModelChannels = 'model:state' | 'model:list' | 'model:providers' | 'model:select' | 'model:setProvider' | 'model:install' | 'model:import' | 'model:remove'

export function modelHandlers(context: StudioContext): Pick<Handlers, ModelChannels> {
  const { manager } = context.models
  return {
    'model:state': () => context.models.state(),
    'model:list': () => manager.list(),
    'model:providers': () => manager.providers(),
    'model:select': ({ modelId }) => manager.select(modelId),
    'model:setProvider': ({ provider }) => manager.setProvider(provider),
    'model:install': ({ catalogId }) => {
      const entry = manager.catalogEntry(catalogId)
      if (!entry) throw new StudioError('not-found', `no catalog model "${catalogId}"`)
      return context.jobs.start({
        kind: 'model-install',
        label: `Install ${entry.name}`,
        total: 0,
        exclusiveKey: `model-install:${catalogId}`,
        run: async (job) => {
          const installed = await manager.install(catalogId, { signal: job.signal, onProgress: (p) => job.progress(p.doneBytes, p.totalBytes) })
          return { installed }
        },
      })
    },
    'model:import': ({ path }) => manager.import(path),
    'model:remove': ({ modelId }) => manager.remove(modelId),
  }
}
