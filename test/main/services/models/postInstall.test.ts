import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runPostInstall, type PostInstallHook } from '../../../../src/main/services/models/postInstall'
import type { ModelFileServer } from '../../../helpers/modelFileServer'
import { openManager, startServer, TOY_DIR, toyEntry } from './installHarness'

let server: ModelFileServer
beforeEach(async () => {
  server = startServer()
  await server.start()
})
afterEach(() => server.close())

/** Stands in for persamifyModelFolder: writes decoder-persam.onnx and updates the manifest. */
const fakePersamify: PostInstallHook = async (dir) => {
  copyFileSync(path.join(TOY_DIR, 'decoder-persam.onnx'), path.join(dir, 'decoder-persam.onnx'))
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'))
  manifest.files.persamDecoder = 'decoder-persam.onnx'
  manifest.persamInputs = { attnSim: 'attn_sim', targetEmbedding: 'target_embedding' }
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest))
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'))

describe('post-install steps (the hook for the PerSAM decoder converter)', () => {
  it('runs the converter on the verified folder before it is moved into place', async () => {
    let sawDir = ''
    const manager = await openManager(toyEntry(server), {
      postInstall: {
        'persamify-decoder': async (dir) => {
          sawDir = dir
          // Not installed yet while the step runs: nothing half-done is ever listed.
          expect((await manager.list()).installed.map((model) => model.id)).toEqual(['toy-sam'])
          await fakePersamify(dir)
        },
      },
    })
    const installed = await manager.install('toy-remote')
    expect(sawDir).toBe(path.join(manager.modelsDir, '.partial', 'toy-remote'))
    expect(installed.hasPersamDecoder).toBe(true)
    const dir = await manager.modelDir('toy-remote')
    expect(readJson(path.join(dir, 'manifest.json')).files.persamDecoder).toBe('decoder-persam.onnx')
    expect(readJson(path.join(dir, 'provenance.json')).postInstall).toEqual([{ step: 'persamify-decoder', outcome: 'done', message: 'wrote decoder-persam.onnx' }])
  })

  it('installs with the standard decoder when the converter refuses, restoring the manifest', async () => {
    const manager = await openManager(toyEntry(server), {
      postInstall: {
        'persamify-decoder': async (dir) => {
          writeFileSync(path.join(dir, 'manifest.json'), '{"half": "written"')
          writeFileSync(path.join(dir, 'decoder-persam.onnx.tmp'), 'half a decoder')
          throw new Error('decoder.onnx: no cross_attn_token_to_image softmax found')
        },
      },
    })
    const installed = await manager.install('toy-remote')
    expect(installed.hasPersamDecoder).toBe(false)
    const dir = await manager.modelDir('toy-remote')
    expect(readJson(path.join(dir, 'manifest.json'))).toMatchObject({ id: 'toy-remote', files: { encoder: 'encoder.onnx', decoder: 'decoder.onnx' }, persamInputs: null })
    expect(readdirSync(dir).sort()).toEqual(['decoder.onnx', 'encoder.onnx', 'manifest.json', 'provenance.json'])
    expect(readJson(path.join(dir, 'provenance.json')).postInstall).toEqual([
      { step: 'persamify-decoder', outcome: 'failed', message: 'decoder.onnx: no cross_attn_token_to_image softmax found' },
    ])
  })

  it('fails a step whose manifest names a file it did not write', async () => {
    const manager = await openManager(toyEntry(server), {
      postInstall: {
        'persamify-decoder': async (dir) => {
          const manifest = readJson(path.join(dir, 'manifest.json'))
          writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, files: { ...manifest.files, persamDecoder: 'missing.onnx' } }))
        },
      },
    })
    await manager.install('toy-remote')
    const dir = await manager.modelDir('toy-remote')
    expect(readJson(path.join(dir, 'manifest.json')).files.persamDecoder).toBeUndefined()
    expect(readJson(path.join(dir, 'provenance.json')).postInstall[0]).toEqual({ step: 'persamify-decoder', outcome: 'failed', message: 'manifest.json names missing.onnx, which the step did not write' })
  })

  it('skips the converter for a single-mask decoder, without calling it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'persam-post-'))
    const manifest = { ...readJson(path.join(TOY_DIR, 'manifest.json')), files: { encoder: 'encoder.onnx', decoder: 'decoder.onnx' }, persamInputs: null, maskCount: 1 }
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest))
    let called = false
    const { outcomes } = await runPostInstall(['persamify-decoder'], dir, { 'persamify-decoder': async () => void (called = true) })
    expect(called).toBe(false)
    expect(outcomes).toEqual([{ step: 'persamify-decoder', outcome: 'skipped', message: 'the decoder returns 1 mask; the converter needs a four-mask decoder' }])
    expect(existsSync(path.join(dir, 'decoder-persam.onnx'))).toBe(false)
  })
})
