/** Installed SAM-family models, the catalog, and which execution provider runs them. */

export const EXECUTION_PROVIDERS = ['auto', 'cuda', 'dml', 'coreml', 'cpu'] as const
export type ExecutionProviderChoice = (typeof EXECUTION_PROVIDERS)[number]

export interface ProviderAvailability {
  readonly name: Exclude<ExecutionProviderChoice, 'auto'>
  readonly available: boolean
  /** Why not, in words a user can act on ("not Windows", "no CUDA 12 runtime found"). */
  readonly reason: string | null
}

export interface ProviderAttempt {
  readonly provider: string
  readonly ok: boolean
  readonly error: string | null
}

export interface InstalledModel {
  readonly id: string
  readonly name: string
  readonly family: string
  /** The bundled test model: real inference, toy quality. */
  readonly isToy: boolean
  readonly hasPersamDecoder: boolean
  readonly sizeBytes: number
  readonly licence: string
}

export interface CatalogModel {
  readonly id: string
  readonly name: string
  readonly family: string
  readonly downloadBytes: number
  readonly verified: boolean
  readonly licence: string
  readonly installed: boolean
  readonly notes: string
}

export type ModelLoadState = 'unloaded' | 'loading' | 'ready' | 'failed'

export interface ModelState {
  readonly activeModelId: string | null
  readonly loadState: ModelLoadState
  readonly requestedProvider: ExecutionProviderChoice
  /** The provider actually running, once loaded. */
  readonly activeProvider: string | null
  readonly attempts: readonly ProviderAttempt[]
  readonly error: string | null
}
