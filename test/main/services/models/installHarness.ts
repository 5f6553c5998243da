/** Shared set-up for the install tests: the toy model served as a catalog entry from 127.0.0.1. */
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect } from 'vitest'
import type { CatalogEntry, ModelCatalog } from '../../../../src/common/models/catalog'
import { ModelManager, type ModelManagerOptions } from '../../../../src/main/services/models/modelManager'
import { ModelFileServer } from '../../../helpers/modelFileServer'

export const TOY_DIR = 'resources/models/toy-sam'
export const ENCODER = readFileSync(path.join(TOY_DIR, 'encoder.onnx'))
export const DECODER = readFileSync(path.join(TOY_DIR, 'decoder.onnx'))
export const PERSAM_DECODER = readFileSync(path.join(TOY_DIR, 'decoder-persam.onnx'))
export const ENCODER_PATH = '/models/toy/encoder.onnx'
export const DECODER_PATH = '/models/toy/decoder.onnx'

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

export function startServer(): ModelFileServer {
  return new ModelFileServer(
    new Map([
      [ENCODER_PATH, ENCODER],
      [DECODER_PATH, DECODER],
    ]),
  )
}

/** The toy pair as a catalog entry served by `server`; `change` adjusts it per test. */
export function toyEntry(server: ModelFileServer, change: (entry: CatalogEntry) => CatalogEntry = (entry) => entry): CatalogEntry {
  return change({
    id: 'toy-remote',
    name: 'Toy SAM from a test server',
    family: 'toy',
    licence: 'Apache-2.0',
    homepage: server.url('/models/toy/'),
    cpu: 'interactive',
    encoderInput: 'nchw-normalized-1024',
    decoderOutput: 'sam-official',
    maskCount: 4,
    checksums: 'publisher',
    files: {
      encoder: { file: 'encoder.onnx', urls: [server.url(ENCODER_PATH)], bytes: ENCODER.length, sha256: sha256(ENCODER) },
      decoder: { file: 'decoder.onnx', urls: [server.url(DECODER_PATH)], bytes: DECODER.length, sha256: sha256(DECODER) },
    },
    postInstall: ['persamify-decoder'],
    notes: '',
  })
}

export async function openManager(entry: CatalogEntry, options: Partial<ModelManagerOptions> = {}): Promise<ModelManager> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'persam-models-'))
  const catalog: ModelCatalog = { schemaVersion: 1, models: [entry] }
  return ModelManager.open({
    modelsDir: path.join(dataDir, 'models'),
    settingsFile: path.join(dataDir, 'model-settings.json'),
    catalog,
    download: { idleTimeoutMs: 10_000, attemptsPerUrl: 3, retryDelayMs: 5 },
    ...options,
  })
}

/** Every file under a folder, relative, hidden ones included. */
export function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  )
}

/** After a failed install nothing can be loaded as the model: not listed, no folder, no manifest anywhere. */
export async function expectNotInstalled(manager: ModelManager, id: string): Promise<void> {
  const { installed, catalog } = await manager.list()
  expect(installed.map((model) => model.id)).toEqual(['toy-sam'])
  expect(catalog.find((model) => model.id === id)?.installed).toBe(false)
  await expect(manager.modelDir(id)).rejects.toThrow(`no installed model "${id}"`)
  expect(walk(manager.modelsDir).filter((file) => file.endsWith('manifest.json') || file.endsWith('provenance.json'))).toEqual([])
  expect(readdirSync(manager.modelsDir).filter((name) => !name.startsWith('.'))).toEqual([])
}
