/** How execution providers are named to people, in the models panel and the status bar alike. */
import type { ExecutionProviderChoice, ProviderAvailability } from '../../../../common/ipc/types'

export const PROVIDER_NAMES: Readonly<Record<ExecutionProviderChoice, string>> = {
  auto: 'Automatic',
  cuda: 'CUDA (NVIDIA GPU)',
  dml: 'DirectML (Windows GPU)',
  coreml: 'CoreML (Apple)',
  cpu: 'CPU',
}

/** The providers this machine can run the model on (model:providers, the panel's own list). */
export function availableProviders(providers: readonly ProviderAvailability[] | null): ProviderAvailability['name'][] {
  return (providers ?? []).filter((p) => p.available).map((p) => p.name)
}
