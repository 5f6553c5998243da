/**
 * The model channels wired to the model manager: the catalog and the installed list, provider
 * availability with reasons, an install as a background job with progress, then selecting the
 * installed model so the studio runs it (and its derived PerSAM decoder is recorded).
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStudioCore, type StudioCore } from '../../../src/main/api/studioCore'
import { startServer, toyEntry } from '../services/models/installHarness'
import type { ModelFileServer } from '../../helpers/modelFileServer'
import { inProcessClient, waitForJob, type StudioClient } from './workflowClients'

let server: ModelFileServer
let core: StudioCore
let api: StudioClient

beforeAll(async () => {
  server = startServer()
  await server.start()
  core = await createStudioCore({
    host: 'cli',
    dataDir: mkdtempSync(path.join(tmpdir(), 'models-api-')),
    log: () => {},
    modelCatalog: { schemaVersion: 1, models: [toyEntry(server)] },
  })
  api = inProcessClient(core)
})

afterAll(async () => {
  await core?.close()
  await server?.close()
})

describe('model channels', () => {
  it('lists the bundled toy model and the catalog, and says which providers this machine runs', async () => {
    const list = await api.call('model:list', {})
    expect(list.installed.map((m) => m.id)).toContain('toy-sam')
    expect(list.catalog.map((m) => m.id)).toEqual(['toy-remote'])
    const providers = await api.call('model:providers', {})
    expect(providers.find((p) => p.name === 'cpu')).toMatchObject({ available: true })
    const dml = providers.find((p) => p.name === 'dml')
    expect(dml?.available).toBe(false)
    expect(dml?.reason).toMatch(/Windows/)
  })

  it('installs a catalog model as a job with progress, then runs it once selected', async () => {
    const job = await api.call('model:install', { catalogId: 'toy-remote' })
    expect(job.kind).toBe('model-install')
    const done = await waitForJob(api, job.id)
    expect(done.error).toBeNull()
    expect(done.state).toBe('done')
    expect(api.eventsOf('job:progress').filter((p) => p.id === job.id).length).toBeGreaterThanOrEqual(2)
    const list = await api.call('model:list', {})
    expect(list.installed.find((m) => m.id === 'toy-remote')).toMatchObject({ isToy: false })
    await api.call('model:select', { modelId: 'toy-remote' })
    await core.context.models.runtime()
    const state = await api.call('model:state', {})
    expect(state).toMatchObject({ activeModelId: 'toy-remote', loadState: 'ready', activeProvider: 'cpu' })
    expect(api.eventsOf('model:state').some((s) => s.activeModelId === 'toy-remote' && s.loadState === 'ready')).toBe(true)
    await expect(api.call('model:install', { catalogId: 'nope' })).rejects.toMatchObject({ code: 'not-found' })
  })

  it('refuses an import that is not a model, naming the folder', async () => {
    await expect(api.call('model:import', { path: tmpdir() })).rejects.toThrow(/tmp/)
  })
})
