/** The SAM model and execution provider in use, the installed models and the catalog. */
import type { ExecutionProviderChoice } from '../../../../common/ipc/types'
import type { Editor } from '../Editor'

export class ModelManager {
  constructor(private readonly editor: Editor) {}

  async load(): Promise<void> {
    const { api } = this.editor
    await this.editor.attempt('Reading the model state', async () => {
      const [model, list, providers] = await Promise.all([api.call('model:state', {}), api.call('model:list', {}), api.call('model:providers', {})])
      this.editor.updateDoc((doc) => ({ core: { ...doc.core, model, installedModels: list.installed, catalog: list.catalog, providers } }))
    })
  }

  /** True when every installed model is the bundled toy one (the studio then asks for a real model). */
  onlyToy(): boolean {
    const installed = this.editor.doc.core.installedModels
    return installed !== null && installed.every((m) => m.isToy)
  }

  async install(catalogId: string): Promise<void> {
    const job = await this.editor.attempt('Installing the model', () => this.editor.api.call('model:install', { catalogId }))
    if (job) this.editor.jobs.track(job)
  }

  async importFile(path: string): Promise<void> {
    const model = await this.editor.attempt('Importing the model', () => this.editor.api.call('model:import', { path }))
    if (model) await this.load()
  }

  async select(modelId: string): Promise<void> {
    const model = await this.editor.attempt('Switching the model', () => this.editor.api.call('model:select', { modelId }))
    if (model) this.editor.updateDoc((doc) => ({ core: { ...doc.core, model } }))
  }

  async setProvider(provider: ExecutionProviderChoice): Promise<void> {
    const model = await this.editor.attempt('Switching the execution provider', () => this.editor.api.call('model:setProvider', { provider }))
    if (model) this.editor.updateDoc((doc) => ({ core: { ...doc.core, model } }))
  }
}
