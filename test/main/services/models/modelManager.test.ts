import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ModelState } from '../../../../src/common/ipc/dto/model'
import { StudioError } from '../../../../src/common/ipc/result'
import { loadResultFromReport, ModelManager, type ModelLoader } from '../../../../src/main/services/models/modelManager'
import { preferenceFromChoice } from '../../../../src/main/services/sam/providers'
import { SamRuntime } from '../../../../src/main/services/sam/samRuntime'
import { TOY_DIR } from './installHarness'

function paths() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'persam-manager-'))
  return { modelsDir: path.join(dataDir, 'models'), settingsFile: path.join(dataDir, 'model-settings.json'), catalog: { schemaVersion: 1 as const, models: [] } }
}

const codeOf = (error: unknown) => (error instanceof StudioError ? error.code : String(error))

interface PendingLoad {
  readonly model: string
  readonly provider: string
  finish(provider: string): void
  fail(message: string): void
}

/** A loader whose loads finish when the test says so, in any order; `next()` waits for the next call. */
function manualLoader() {
  const calls: PendingLoad[] = []
  const waiters: ((load: PendingLoad) => void)[] = []
  const loader: ModelLoader = (model, provider) =>
    new Promise((resolve, reject) => {
      const load: PendingLoad = {
        model: model.id,
        provider,
        finish: (active) => resolve({ activeProvider: active, attempts: [{ provider: active, ok: true, error: null }] }),
        fail: (message) => reject(new Error(message)),
      }
      const waiter = waiters.shift()
      if (waiter) waiter(load)
      else calls.push(load)
    })
  const next = () => new Promise<PendingLoad>((resolve) => (calls.length > 0 ? resolve(calls.shift()!) : waiters.push(resolve)))
  return { loader, next }
}

describe('ModelManager: selection and provider choice, persisted per machine', () => {
  it('starts on the toy model with the auto provider, and persists choices atomically', async () => {
    const options = paths()
    const manager = await ModelManager.open(options)
    expect(manager.state()).toEqual({ activeModelId: 'toy-sam', loadState: 'unloaded', requestedProvider: 'auto', activeProvider: null, attempts: [], error: null })
    await manager.import(TOY_DIR, { id: 'copy' })
    const events: ModelState[] = []
    manager.onStateChange((state) => events.push(state))
    expect((await manager.select('copy')).activeModelId).toBe('copy')
    expect((await manager.setProvider('cpu')).requestedProvider).toBe('cpu')
    expect(events.map((state) => [state.activeModelId, state.requestedProvider])).toEqual([
      ['copy', 'auto'],
      ['copy', 'cpu'],
    ])
    expect(JSON.parse(readFileSync(options.settingsFile, 'utf8'))).toEqual({ schemaVersion: 1, selectedModelId: 'copy', provider: 'cpu' })
    expect(readdirSync(path.dirname(options.settingsFile)).filter((name) => name.includes('.tmp'))).toEqual([])

    const reopened = await ModelManager.open(options)
    expect(reopened.state()).toMatchObject({ activeModelId: 'copy', requestedProvider: 'cpu' })
    expect(reopened.settingsProblem).toBeNull()
  })

  it('falls back to the defaults on a damaged settings file, and says so', async () => {
    const options = paths()
    writeFileSync(options.settingsFile, '{"schemaVersion":1,"selectedModelId":"x","provider":"tpu"}')
    const manager = await ModelManager.open(options)
    expect(manager.state()).toMatchObject({ activeModelId: 'toy-sam', requestedProvider: 'auto' })
    expect(manager.settingsProblem).toMatch(/model-settings\.json: provider: .*; using the defaults$/)
  })

  it('refuses to select a model that is not installed', async () => {
    const manager = await ModelManager.open(paths())
    const error = await manager.select('nope').catch((caught: unknown) => caught)
    expect(codeOf(error)).toBe('not-found')
    expect((error as Error).message).toBe('no installed model "nope"')
  })

  it('removes an installed model atomically, and moves the selection back to the toy model', async () => {
    const options = paths()
    const manager = await ModelManager.open(options)
    await manager.import(TOY_DIR, { id: 'copy' })
    await manager.select('copy')
    expect(await manager.remove('copy')).toBeNull()
    expect(existsSync(path.join(options.modelsDir, 'copy'))).toBe(false)
    expect(readdirSync(options.modelsDir)).toEqual([])
    expect(manager.state().activeModelId).toBe('toy-sam')
    expect((await manager.list()).installed.map((model) => model.id)).toEqual(['toy-sam'])
    expect(codeOf(await manager.remove('copy').catch((caught: unknown) => caught))).toBe('not-found')
    const toy = await manager.remove('toy-sam').catch((caught: unknown) => caught)
    expect(codeOf(toy)).toBe('invalid-input')
    expect((toy as Error).message).toMatch(/bundled toy model .* cannot be removed/)
  })

  it('reports folders that are not usable models instead of listing them', async () => {
    const options = paths()
    const manager = await ModelManager.open(options)
    await manager.import(TOY_DIR, { id: 'copy' })
    writeFileSync(path.join(options.modelsDir, 'copy', 'manifest.json'), '{"schemaVersion": 1}')
    const { models, problems } = await manager.installedModels()
    expect(models.map((model) => model.id)).toEqual(['toy-sam'])
    expect(problems).toHaveLength(1)
    expect(problems[0]!.message).toMatch(/copy[/\\]manifest\.json: invalid model manifest: id: /)
  })
})

describe('ModelManager: loading through a loader, and the model:state it reports', () => {
  it('loads the selected model, lets a newer choice supersede an older load, and reports failures', async () => {
    const { loader, next } = manualLoader()
    const manager = await ModelManager.open({ ...paths(), loader })
    await manager.import(TOY_DIR, { id: 'copy' })
    const states: ModelState[] = []
    manager.onStateChange((state) => states.push(state))

    expect((await manager.select('copy')).loadState).toBe('loading')
    const first = await next()
    await manager.setProvider('cpu') // supersedes the first load
    const second = await next()
    expect([first, second].map((load) => [load.model, load.provider])).toEqual([
      ['copy', 'auto'],
      ['copy', 'cpu'],
    ])
    second.finish('cpu')
    first.finish('cuda') // too late: its result must not be shown
    expect(await manager.whenLoaded()).toMatchObject({ loadState: 'ready', activeProvider: 'cpu', requestedProvider: 'cpu' })
    await new Promise((resolve) => setImmediate(resolve))
    expect(manager.state().activeProvider).toBe('cpu')
    expect(states.at(-1)).toMatchObject({ loadState: 'ready', activeProvider: 'cpu' })
    expect(states.some((state) => state.activeProvider === 'cuda')).toBe(false)

    const failing = manager.load()
    ;(await next()).fail('decoder x.onnx: not a valid ONNX model')
    expect(await failing).toMatchObject({ loadState: 'failed', activeProvider: null, error: 'decoder x.onnx: not a valid ONNX model' })
  })

  it('drives a real SamRuntime: the state says which provider runs and why the others did not', async () => {
    let runtime: SamRuntime | null = null
    const loader: ModelLoader = async (model, provider) => {
      const next = await SamRuntime.open({ model: { dir: model.dir }, providers: preferenceFromChoice(provider) })
      await runtime?.close()
      runtime = next
      return loadResultFromReport(next.model.encoder.providers)
    }
    try {
      const manager = await ModelManager.open({ ...paths(), loader })
      await manager.import(TOY_DIR, { id: 'copy' })
      await manager.select('copy')
      const state = await manager.whenLoaded()
      expect(state).toMatchObject({ activeModelId: 'copy', loadState: 'ready', activeProvider: 'cpu', error: null })
      expect(state.attempts.at(-1)).toEqual({ provider: 'cpu', ok: true, error: null })
      if (process.platform === 'linux' && process.arch === 'x64') {
        // 'auto' tries CUDA first on Linux x64; here it fails, and the attempt says why.
        expect(state.attempts[0]).toMatchObject({ provider: 'cuda', ok: false })
        expect(state.attempts[0]!.error).toMatch(/\S/)
      }
      expect(runtime!.model.id).toBe('copy')
    } finally {
      await (runtime as SamRuntime | null)?.close()
    }
  })
})
