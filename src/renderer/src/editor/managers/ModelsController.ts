/**
 * The renderer's side of the core's models (main's ModelManager owns them), the models panel's logic: the SAM model and execution provider in use, the installed models,
 * the catalog, downloads (model:install jobs, followed through job:progress), imports, removal.
 * Each action's outcome is kept in the session under a key ('install:<id>', 'import', ...) so the
 * panel shows a failure next to the button that caused it, in words, instead of a passing notice.
 */
import type { ExecutionProviderChoice, InstalledModel, JobInfo } from '../../../../common/ipc/types'
import { describeError } from '../api'
import type { Editor } from '../Editor'
import type { ModelAction } from '../state'

export type ModelActionKey = 'import' | 'provider' | `install:${string}` | `remove:${string}` | `select:${string}`

export class ModelsController {
  constructor(private readonly editor: Editor) {}

  /** Reads the model state, the lists and the providers; one failing read does not hide the others. */
  async load(): Promise<void> {
    const { api } = this.editor
    await Promise.all([
      this.editor.attempt('Reading the model state', async () => {
        const model = await api.call('model:state', {})
        this.editor.updateDoc((doc) => ({ core: { ...doc.core, model } }))
      }),
      this.loadList(),
      this.editor.attempt('Listing the execution providers', async () => {
        const providers = await api.call('model:providers', {})
        this.editor.updateDoc((doc) => ({ core: { ...doc.core, providers } }))
      }),
    ])
  }

  async loadList(): Promise<void> {
    await this.editor.attempt('Listing the models', async () => {
      const list = await this.editor.api.call('model:list', {})
      this.editor.updateDoc((doc) => ({ core: { ...doc.core, installedModels: list.installed, catalog: list.catalog } }))
    })
  }

  /** True when every installed model is the bundled toy one (the studio then asks for a real model). */
  onlyToy(): boolean {
    const installed = this.editor.doc.core.installedModels
    return installed !== null && installed.every((m) => m.isToy)
  }

  action(key: ModelActionKey): ModelAction | null {
    return this.editor.session.modelActions[key] ?? null
  }

  dismiss(key: ModelActionKey): void {
    const { [key]: _dropped, ...rest } = this.editor.session.modelActions
    this.editor.updateSession({ modelActions: rest })
  }

  /** The download job of a catalog entry, while it runs or after it ended (until the panel forgets it). */
  downloadOf(catalogId: string): JobInfo | null {
    return this.editor.jobs.byId(this.editor.session.modelDownloads[catalogId] ?? null)
  }

  /** Starts downloading a catalog model; progress, speed, ETA and the end come as job:progress. */
  async install(catalogId: string): Promise<void> {
    const name = this.editor.doc.core.catalog?.find((m) => m.id === catalogId)?.name ?? catalogId
    const job = await this.run(`install:${catalogId}`, `Downloading ${name}`, () => this.editor.api.call('model:install', { catalogId }))
    if (!job) return
    this.editor.updateSession((session) => ({ modelDownloads: { ...session.modelDownloads, [catalogId]: job.id } }))
    this.editor.jobs.track(job)
  }

  async cancelInstall(catalogId: string): Promise<void> {
    const job = this.downloadOf(catalogId)
    if (job) await this.editor.jobs.cancel(job.id)
  }

  /** Imports a model from local files (a folder, or an encoder/decoder pair); the list is read again. */
  async importModel(path: string): Promise<InstalledModel | undefined> {
    const model = await this.run('import', `Importing ${path}`, () => this.editor.api.call('model:import', { path }))
    if (!model) return undefined
    this.done('import', `Imported ${model.name}.`)
    await this.loadList()
    return model
  }

  async remove(modelId: string): Promise<void> {
    const name = this.editor.doc.core.installedModels?.find((m) => m.id === modelId)?.name ?? modelId
    const result = await this.run(`remove:${modelId}`, `Removing ${name}`, () => this.editor.api.call('model:remove', { modelId }))
    if (result === undefined) return
    this.dismiss(`remove:${modelId}`)
    await this.loadList()
  }

  async select(modelId: string): Promise<void> {
    const model = await this.run(`select:${modelId}`, 'Switching the model', () => this.editor.api.call('model:select', { modelId }))
    if (!model) return
    this.dismiss(`select:${modelId}`)
    this.editor.updateDoc((doc) => ({ core: { ...doc.core, model } }))
  }

  async setProvider(provider: ExecutionProviderChoice): Promise<void> {
    const model = await this.run('provider', 'Switching the execution provider', () => this.editor.api.call('model:setProvider', { provider }))
    if (!model) return
    this.dismiss('provider')
    this.editor.updateDoc((doc) => ({ core: { ...doc.core, model } }))
  }

  /** A download ended: the lists change when it succeeded; a failure stays on its catalog entry. */
  onDownloadEnded(job: JobInfo): void {
    if (job.state === 'done') this.editor.track(this.load())
  }

  private async run<T>(key: ModelActionKey, what: string, task: () => Promise<T>): Promise<T | undefined> {
    this.set(key, { pending: true, error: null, message: null })
    try {
      const result = await this.editor.track(task())
      this.set(key, { pending: false, error: null, message: null })
      return result
    } catch (error) {
      this.set(key, { pending: false, error: `${what} failed: ${describeError(error)}`, message: null })
      return undefined
    }
  }

  private done(key: ModelActionKey, message: string): void {
    this.set(key, { pending: false, error: null, message })
  }

  private set(key: ModelActionKey, action: ModelAction): void {
    this.editor.updateSession((session) => ({ modelActions: { ...session.modelActions, [key]: action } }))
  }
}
