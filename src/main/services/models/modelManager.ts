/**
 * The model manager: installed models and the catalog, downloads, imports, removal, execution
 * provider availability, and the per-machine choice of model and provider. Its public methods
 * map one to one onto the contract's model channels (see the comment on each); `onStateChange`
 * feeds the `model:state` event. Loading the chosen model is delegated to a `loader` (the studio
 * core opens its SamRuntime there), so this class tracks the load state without owning sessions.
 */
import { StudioError } from '../../../common/ipc/result'
import type { CatalogModel, ExecutionProviderChoice, InstalledModel, ModelState, ProviderAttempt, ProviderAvailability } from '../../../common/ipc/dto/model'
import { catalogDownloadBytes, describeCatalogEntry, type CatalogEntry, type ModelCatalog } from '../../../common/models/catalog'
import type { ModelSettings } from '../../../common/models/records'
import type { ProviderReport } from '../sam/providers'
import { toyModelDir } from '../system/paths'
import { loadCatalog } from './bundledCatalog'
import type { DownloadTuning } from './download'
import { importModelFiles, type ImportOptions } from './importModel'
import { installFromCatalog, systemFreeBytes, type InstallRequest } from './installFromCatalog'
import type { PairFiles } from './modelFiles'
import { readModelSettings, writeModelSettings } from './modelSettings'
import { ModelStore, TOY_MODEL_ID, type InstalledModelRecord, type StoreProblem } from './modelStore'
import type { PostInstallHooks } from './postInstall'
import { providerAvailability, systemProviderEnvironment, type ProviderEnvironment } from './providerAvailability'

export interface ModelLoadResult {
  /** The provider that actually runs the model. */
  readonly activeProvider: string
  readonly attempts: readonly ProviderAttempt[]
}

/** Opens the model for inference (e.g. a SamRuntime) and reports which provider runs it. */
export type ModelLoader = (model: { readonly id: string; readonly dir: string }, provider: ExecutionProviderChoice) => Promise<ModelLoadResult>

export interface ModelManagerOptions {
  readonly modelsDir: string
  readonly settingsFile: string
  /** Default: resources/models/catalog.json. */
  readonly catalog?: ModelCatalog
  /** Default: the bundled toy model. */
  readonly toyModelDir?: string
  readonly download?: DownloadTuning
  /** Post-install steps, e.g. `{ 'persamify-decoder': persamifyModelFolder }`. */
  readonly postInstall?: PostInstallHooks
  readonly loader?: ModelLoader
  readonly providerEnvironment?: () => ProviderEnvironment
  readonly freeBytes?: (dir: string) => Promise<number | null>
  /** Milliseconds, for download speed; default performance.now. */
  readonly now?: () => number
}

/** The runtime's provider report in the contract's terms, for a loader built on SamRuntime. */
export function loadResultFromReport(report: ProviderReport): ModelLoadResult {
  return { activeProvider: report.active, attempts: report.attempts.map((attempt) => ({ provider: attempt.provider, ok: attempt.ok, error: attempt.error ?? null })) }
}

function toInstalledModel(record: InstalledModelRecord): InstalledModel {
  const { manifest } = record
  return {
    id: record.id,
    name: manifest.name,
    family: manifest.family,
    isToy: record.isToy,
    hasPersamDecoder: manifest.files.persamDecoder !== undefined || manifest.persamInputs !== null,
    sizeBytes: record.sizeBytes,
    licence: manifest.licence,
  }
}

type RuntimeStatus = Pick<ModelState, 'loadState' | 'activeProvider' | 'attempts' | 'error'>
const UNLOADED: RuntimeStatus = { loadState: 'unloaded', activeProvider: null, attempts: [], error: null }

export class ModelManager {
  private runtime: RuntimeStatus = UNLOADED
  private loadGeneration = 0
  private loading: Promise<ModelState> | null = null
  private readonly installs = new Map<string, AbortController>()
  private readonly listeners = new Set<(state: ModelState) => void>()

  private constructor(
    private readonly options: ModelManagerOptions,
    private readonly store: ModelStore,
    readonly catalog: ModelCatalog,
    private settings: ModelSettings,
    /** Why the saved settings could not be used, if they could not. */
    readonly settingsProblem: string | null,
  ) {}

  static async open(options: ModelManagerOptions): Promise<ModelManager> {
    const store = new ModelStore(options.modelsDir, options.toyModelDir ?? toyModelDir())
    await store.init()
    const catalog = options.catalog ?? (await loadCatalog())
    const { settings, problem } = await readModelSettings(options.settingsFile)
    return new ModelManager(options, store, catalog, settings, problem)
  }

  get modelsDir(): string {
    return this.store.root
  }

  // model:list --------------------------------------------------------------------------------

  async list(): Promise<{ installed: InstalledModel[]; catalog: CatalogModel[] }> {
    const { models } = await this.store.list()
    const installedIds = new Set(models.map((model) => model.id))
    return {
      installed: models.map(toInstalledModel),
      catalog: this.catalog.models.map((entry) => ({
        id: entry.id,
        name: entry.name,
        family: entry.family,
        downloadBytes: catalogDownloadBytes(entry),
        verified: entry.checksums !== 'none',
        licence: entry.licence,
        installed: installedIds.has(entry.id),
        notes: describeCatalogEntry(entry),
      })),
    }
  }

  /** Installed models with their folders and provenance, and folders that are not usable models. */
  installedModels(): Promise<{ models: InstalledModelRecord[]; problems: StoreProblem[] }> {
    return this.store.list()
  }

  catalogEntry(catalogId: string): CatalogEntry | undefined {
    return this.catalog.models.find((entry) => entry.id === catalogId)
  }

  /** The folder of an installed model (the toy model's for "toy-sam"). */
  async modelDir(modelId: string): Promise<string> {
    const record = await this.store.get(modelId)
    if (!record) throw new StudioError('not-found', `no installed model "${modelId}"`)
    return record.dir
  }

  // model:providers ---------------------------------------------------------------------------

  providers(): ProviderAvailability[] {
    return providerAvailability((this.options.providerEnvironment ?? systemProviderEnvironment)())
  }

  // model:state, model:select, model:setProvider, event model:state ---------------------------

  state(): ModelState {
    return { activeModelId: this.settings.selectedModelId ?? TOY_MODEL_ID, requestedProvider: this.settings.provider, ...this.runtime }
  }

  onStateChange(listener: (state: ModelState) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Makes `modelId` the machine's model (persisted) and starts loading it when a loader is set. */
  async select(modelId: string): Promise<ModelState> {
    if (!(await this.store.get(modelId))) throw new StudioError('not-found', `no installed model "${modelId}"`)
    await this.saveSettings({ ...this.settings, selectedModelId: modelId })
    void this.load()
    return this.state()
  }

  async setProvider(provider: ExecutionProviderChoice): Promise<ModelState> {
    await this.saveSettings({ ...this.settings, provider })
    void this.load()
    return this.state()
  }

  /**
   * Loads the selected model with the chosen provider through the loader; resolves with the
   * final state. A newer select/setProvider supersedes a load in flight. Without a loader the
   * state stays 'unloaded'. A selected model that has disappeared falls back to the toy model.
   */
  load(): Promise<ModelState> {
    const loader = this.options.loader
    if (!loader) return Promise.resolve(this.state())
    const generation = ++this.loadGeneration
    const run = async (): Promise<ModelState> => {
      this.setRuntime({ loadState: 'loading', activeProvider: null, attempts: [], error: null })
      try {
        const selected = this.settings.selectedModelId ?? TOY_MODEL_ID
        const record = (await this.store.get(selected)) ?? (await this.store.get(TOY_MODEL_ID))
        if (!record) throw new Error('no model to load')
        if (generation !== this.loadGeneration) return this.state() // superseded before it started
        const result = await loader({ id: record.id, dir: record.dir }, this.settings.provider)
        if (generation === this.loadGeneration) {
          const note = record.id === selected ? null : `the selected model "${selected}" is not installed; loaded ${record.id}`
          this.setRuntime({ loadState: 'ready', activeProvider: result.activeProvider, attempts: result.attempts, error: note })
        }
      } catch (error) {
        if (generation === this.loadGeneration) this.setRuntime({ loadState: 'failed', activeProvider: null, attempts: [], error: error instanceof Error ? error.message : String(error) })
      }
      return this.state()
    }
    const promise = run()
    this.loading = promise
    return promise
  }

  /** The load in flight (or the current state): for callers that need the outcome of select. */
  whenLoaded(): Promise<ModelState> {
    return this.loading ?? Promise.resolve(this.state())
  }

  // model:install, model:import, model:remove -------------------------------------------------

  /** Downloads, verifies and installs a catalog model; the caller runs it as a 'model-install' job. */
  async install(catalogId: string, request: InstallRequest = {}): Promise<InstalledModel> {
    const entry = this.catalogEntry(catalogId)
    if (!entry) throw new StudioError('not-found', `no catalog model "${catalogId}" (known: ${this.catalog.models.map((model) => model.id).join(', ')})`)
    if (this.installs.has(catalogId)) throw new StudioError('conflict', `${catalogId} is already being installed`)
    if (await this.store.get(catalogId)) throw new StudioError('conflict', `${catalogId} is already installed; remove it first to reinstall`)
    if ((await this.store.ids()).has(catalogId)) {
      throw new StudioError('conflict', `${this.store.root} already has a folder "${catalogId}" that is not a usable model; remove it first`)
    }
    const controller = new AbortController()
    const abort = () => controller.abort()
    request.signal?.addEventListener('abort', abort, { once: true })
    if (request.signal?.aborted) controller.abort()
    this.installs.set(catalogId, controller)
    try {
      const context = {
        store: this.store,
        tuning: this.options.download ?? {},
        hooks: this.options.postInstall ?? {},
        freeBytes: this.options.freeBytes ?? systemFreeBytes,
        now: this.options.now ?? (() => performance.now()),
      }
      return toInstalledModel(await installFromCatalog(entry, context, { signal: controller.signal, onProgress: request.onProgress }))
    } finally {
      request.signal?.removeEventListener('abort', abort)
      this.installs.delete(catalogId)
    }
  }

  /** Ids of the catalog models being installed right now. */
  installing(): string[] {
    return [...this.installs.keys()]
  }

  async import(source: string | PairFiles, options: ImportOptions = {}): Promise<InstalledModel> {
    return toInstalledModel(await importModelFiles(this.store, source, options))
  }

  async remove(modelId: string): Promise<null> {
    if (this.installs.has(modelId)) throw new StudioError('conflict', `${modelId} is being installed; cancel the install first`)
    await this.store.remove(modelId)
    if (this.settings.selectedModelId === modelId) {
      await this.saveSettings({ ...this.settings, selectedModelId: null })
      void this.load()
    }
    return null
  }

  /** Cancels installs in flight (their partial downloads are discarded). */
  close(): void {
    for (const controller of this.installs.values()) controller.abort()
  }

  // ------------------------------------------------------------------------------------------

  private async saveSettings(settings: ModelSettings): Promise<void> {
    await writeModelSettings(this.options.settingsFile, settings)
    this.settings = settings
    this.emit()
  }

  private setRuntime(status: RuntimeStatus): void {
    this.runtime = status
    this.emit()
  }

  private emit(): void {
    const state = this.state()
    for (const listener of this.listeners) {
      try {
        listener(state)
      } catch {
        // A failing listener (a closed window) must not break the others or the manager.
      }
    }
  }
}
