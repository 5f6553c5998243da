/**
 * The model the studio runs right now: the ModelManager (selection, provider, installs, state)
 * with a loader that keeps exactly one SamRuntime open, shared by interactive segmentation and
 * propagation. Installed models get their PerSAM decoder derived after download (postInstall.ts).
 */
import type { ModelState } from '../../../common/ipc/dto/model'
import type { ModelCatalog } from '../../../common/models/catalog'
import { StudioError } from '../../../common/ipc/result'
import { persamifyModelFolder } from '../onnx/persamify/modelFolder'
import { preferenceFromChoice } from '../sam/providers'
import { SamRuntime } from '../sam/samRuntime'
import { loadResultFromReport, ModelManager } from './modelManager'
import { modelManagerPaths } from './modelPaths'

export interface ActiveModelOptions {
  readonly dataDir: string
  /** Folder of the on-disk embedding cache (null: memory only). */
  readonly embeddingCacheDir: string | null
  readonly onState: (state: ModelState) => void
  /** Tests point the catalog at a local server; default: resources/models/catalog.json. */
  readonly catalog?: ModelCatalog
}

export class ActiveModel {
  private current: SamRuntime | null = null

  private constructor(readonly manager: ModelManager) {}

  static async open(options: ActiveModelOptions): Promise<ActiveModel> {
    let active: ActiveModel | null = null
    const manager = await ModelManager.open({
      ...modelManagerPaths(options.dataDir),
      ...(options.catalog ? { catalog: options.catalog } : {}),
      postInstall: { 'persamify-decoder': persamifyModelFolder },
      loader: async (model, provider) => {
        const next = await SamRuntime.open({ model: { dir: model.dir }, providers: preferenceFromChoice(provider), cacheDir: options.embeddingCacheDir })
        const previous = active!.current
        active!.current = next
        await previous?.close()
        return loadResultFromReport(next.model.encoder.providers)
      },
    })
    active = new ActiveModel(manager)
    manager.onStateChange(options.onState)
    return active
  }

  state(): ModelState {
    return this.manager.state()
  }

  /** The open runtime, loading the selected model first when needed. */
  async runtime(): Promise<SamRuntime> {
    const loading = this.manager.state().loadState === 'loading'
    const state = loading ? await this.manager.whenLoaded() : this.current ? null : await this.manager.load()
    if (this.current && this.manager.state().loadState === 'ready') return this.current
    throw new StudioError('model', `the model could not be loaded: ${state?.error ?? this.manager.state().error ?? 'unknown reason'}`)
  }

  /** Starts loading in the background (e.g. when a project opens), so the first click is quick. */
  warmUp(): void {
    if (!this.current && this.manager.state().loadState !== 'loading') void this.manager.load()
  }

  async close(): Promise<void> {
    this.manager.close()
    const runtime = this.current
    this.current = null
    await runtime?.close()
  }
}
