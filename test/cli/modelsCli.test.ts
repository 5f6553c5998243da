import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveModelDirIn } from '../../src/cli/models'
import { ModelFileServer } from '../helpers/modelFileServer'
import { DECODER, DECODER_PATH, ENCODER, ENCODER_PATH, toyEntry } from '../main/services/models/installHarness'

interface Outcome {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'persam-cli-models-'))
const cli = (args: string[]): Promise<Outcome> =>
  new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'models', ...args], { env: { ...process.env, STUDIO_DATA_DIR: dataDir }, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })

let server: ModelFileServer
let catalogFile: string
beforeAll(async () => {
  server = new ModelFileServer(new Map([[ENCODER_PATH, ENCODER], [DECODER_PATH, DECODER]]))
  await server.start()
  catalogFile = path.join(dataDir, 'catalog.json')
  writeFileSync(catalogFile, JSON.stringify({ schemaVersion: 1, models: [toyEntry(server)] }))
})
afterAll(() => server.close())

describe('persam-studio models', () => {
  it('providers: lists what this machine runs, and why not', async () => {
    const { code, stdout } = await cli(['providers'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^cpu +available$/m)
    expect(stdout).toMatch(/^cuda +unavailable +\S/m)
    if (process.platform === 'linux') expect(stdout).toMatch(/^dml +unavailable +not Windows$/m)
    expect(stdout).toContain('chosen: auto')
  }, 120_000)

  it('install: downloads with a progress bar, then list shows the model and --model finds it', async () => {
    const { code, stdout, stderr } = await cli(['install', 'toy-remote', '--catalog', catalogFile])
    expect(stderr).toMatch(/install toy-remote .*%/)
    expect(code).toBe(0)
    expect(stdout).toContain(`installed toy-remote`)
    expect(stdout).toContain('persamify-decoder: skipped (this build has no converter for this step)')
    const installed = path.join(dataDir, 'models', 'toy-remote')
    expect(readFileSync(path.join(installed, 'decoder.onnx')).equals(DECODER)).toBe(true)

    const list = await cli(['list', '--catalog', catalogFile])
    expect(list.stdout).toMatch(/^ {2}toy-remote +Toy SAM from a test server +78 KB$/m)
    expect(list.stdout).toMatch(/^ {2}toy-remote +Toy SAM from a test server +76 KB +verified +installed$/m)
    expect(resolveModelDirIn('toy-remote', path.join(dataDir, 'models'))).toBe(installed)
    expect(() => resolveModelDirIn('missing', path.join(dataDir, 'models'))).toThrow('"missing" is neither a model folder nor an installed model id (installed: toy-remote; bundled: toy-sam)')
  }, 120_000)

  it('import and remove; a refused import exits 1 with the file and the reason', async () => {
    const imported = await cli(['import', 'resources/models/toy-sam', '--id', 'toy-copy'])
    expect(imported.code).toBe(0)
    expect(imported.stdout).toMatch(/^imported toy-copy \(Toy SAM \(colour cells\), 151 KB, with a PerSAM decoder\) into /)

    const refused = await cli(['import', 'resources/models/toy-sam/encoder.onnx', '--decoder', 'resources/models/toy-sam/encoder.onnx'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/^error: decoder .*encoder\.onnx: this is a SAM encoder \(input image \[1,3,1024,1024\] -> image_embeddings \[1,256,64,64\]\), not a decoder$/m)

    expect((await cli(['remove', 'toy-copy'])).stdout).toBe('removed toy-copy\n')
    const again = await cli(['remove', 'toy-copy'])
    expect(again.code).toBe(1)
    expect(again.stderr).toBe('error: no installed model "toy-copy"\n')
  }, 180_000)
})
