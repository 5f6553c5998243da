/**
 * Which SAM model the studio runs, on which execution provider, and its one SamRuntime (opened
 * lazily, shared by interactive segmentation and propagation). State changes are pushed so the
 * status bar always says what is loaded and which provider really runs.
 */
import type { ExecutionProviderChoice, ModelState, ProviderAttempt } from '../../../common/ipc/dto/model'
import { StudioError } from '../../../common/ipc/result'
import { preferenceFromChoice } from '../sam/providers'
import { SamRuntime } from '../sam/samRuntime'

export interface ModelServiceOptions {
  /** Model folder for an id (installed models, the bundled toy model). */
  readonly resolve: (modelId: string) => Promise<string>
  readonly initialModelId: string
  readonly initialProvider: ExecutionProviderChoice
  /** Folder of the on-disk embedding cache. */
  readonly embeddingCacheDir: string | null
  readonly onState: (state: ModelState) => void
  /** Persists the user's choice (model, provider) for the next start. */
  readonly onChoice?: (choice: { modelId: string; provider: ExecutionProviderChoice }) => void
}

export class ModelService {
  private current: ModelState
  private opening: Promise<SamRuntime> | null = null
  private open: SamRuntime | null = null

  constructor(private readonly options: ModelServiceOptions) {
    this.current = {
      activeModelId: options.initialModelId,
      loadState: 'unloaded',
      requestedProvider: options.initialProvider,
      activeProvider: null,
      attempts: [],
      error: null,
    }
  }

  state(): ModelState {
    return this.current
  }

  /** The running model, loading it on first use. */
  runtime(): Promise<SamRuntime> {
    if (this.open) return Promise.resolve(this.open)
    this.opening ??= this.load()
    return this.opening
  }

  async select(modelId: string): Promise<ModelState> {
    await this.options.resolve(modelId) // refuses unknown ids before anything changes
    await this.unload()
    this.update({ activeModelId: modelId, loadState: 'unloaded', activeProvider: null, attempts: [], error: null })
    this.options.onChoice?.({ modelId, provider: this.current.requestedProvider })
    return this.current
  }

  async setProvider(provider: ExecutionProviderChoice): Promise<ModelState> {
    await this.unload()
    this.update({ requestedProvider: provider, loadState: 'unloaded', activeProvider: null, attempts: [], error: null })
    this.options.onChoice?.({ modelId: this.current.activeModelId ?? this.options.initialModelId, provider })
    return this.current
  }

  async close(): Promise<void> {
    await this.unload()
  }

  private async load(): Promise<SamRuntime> {
    const modelId = this.current.activeModelId
    if (!modelId) throw new StudioError('model', 'no model is selected')
    this.update({ loadState: 'loading', error: null })
    try {
      const dir = await this.options.resolve(modelId)
      const runtime = await SamRuntime.open({
        model: { dir },
        providers: preferenceFromChoice(this.current.requestedProvider),
        cacheDir: this.options.embeddingCacheDir,
      })
      const report = runtime.model.encoder.providers
      const attempts: ProviderAttempt[] = report.attempts.map((a) => ({ provider: a.provider, ok: a.ok, error: a.error ?? null }))
      this.open = runtime
      this.update({ loadState: 'ready', activeProvider: report.active, attempts })
      return runtime
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      const attempts = ((error as { attempts?: { provider: string; ok: boolean; error?: string }[] }).attempts ?? []).map((a) => ({
        provider: a.provider,
        ok: a.ok,
        error: a.error ?? null,
      }))
      this.update({ loadState: 'failed', error: message, attempts })
      throw new StudioError('model', `model ${modelId} could not be loaded: ${message}`)
    } finally {
      this.opening = null
    }
  }

  private async unload(): Promise<void> {
    const pending = this.opening
    this.opening = null
    const runtime = this.open ?? (pending ? await pending.catch(() => null) : null)
    this.open = null
    await runtime?.close()
  }

  private update(patch: Partial<ModelState>): void {
    this.current = { ...this.current, ...patch }
    this.options.onState(this.current)
  }
}
