/** model:* channels. */
import { listSupportedBackends } from 'onnxruntime-node'
import type { ProviderAvailability } from '../../../common/ipc/dto/model'
import { StudioError } from '../../../common/ipc/result'
import type { StudioContext } from '../context'
import { TOY_MODEL_ID } from '../context'
import type { Handlers } from '../dispatch'

type ModelChannels = 'model:state' | 'model:list' | 'model:providers' | 'model:select' | 'model:setProvider' | 'model:install' | 'model:import' | 'model:remove'

export function modelHandlers(context: StudioContext): Pick<Handlers, ModelChannels> {
  const notYet = (channel: string) => () => {
    throw new StudioError('internal', `"${channel}" is not available in this build yet`)
  }
  return {
    'model:state': () => context.models.state(),
    'model:list': () => ({
      installed: [{ id: TOY_MODEL_ID, name: 'Toy SAM (colour cells)', family: 'toy', isToy: true, hasPersamDecoder: true, sizeBytes: 0, licence: 'Apache-2.0' }],
      catalog: [],
    }),
    'model:providers': (): ProviderAvailability[] => {
      const bundled = new Set(listSupportedBackends().filter((b) => b.bundled).map((b) => b.name))
      return (['cuda', 'dml', 'coreml', 'cpu'] as const).map((name) => ({ name, available: bundled.has(name), reason: bundled.has(name) ? null : 'not in this onnxruntime-node build' }))
    },
    'model:select': ({ modelId }) => context.models.select(modelId),
    'model:setProvider': ({ provider }) => context.models.setProvider(provider),
    'model:install': notYet('model:install'),
    'model:import': notYet('model:import'),
    'model:remove': notYet('model:remove'),
  }
}
