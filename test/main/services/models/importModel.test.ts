import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import onnxProto from 'onnx-proto'
import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { StudioError } from '../../../../src/common/ipc/result'
import { inspectModelPair } from '../../../../src/main/services/models/modelFiles'
import { ModelManager } from '../../../../src/main/services/models/modelManager'
import { DECODER, ENCODER, PERSAM_DECODER, sha256, TOY_DIR, walk } from './installHarness'

const { onnx } = onnxProto

const tempDir = (prefix: string) => mkdtempSync(path.join(os.tmpdir(), prefix))

async function openManager(): Promise<ModelManager> {
  const dataDir = tempDir('persam-import-')
  return ModelManager.open({ modelsDir: path.join(dataDir, 'models'), settingsFile: path.join(dataDir, 'settings.json'), catalog: { schemaVersion: 1, models: [] } })
}

/** A folder holding the given files. */
function folder(name: string, files: Record<string, Buffer | string>): string {
  const dir = path.join(tempDir('persam-source-'), name)
  mkdirSync(dir, { recursive: true })
  for (const [file, bytes] of Object.entries(files)) writeFileSync(path.join(dir, file), bytes)
  return dir
}

/** The toy decoder with its graph edited (inputs renamed, output shapes made symbolic, ...). */
function editedDecoder(edit: (graph: InstanceType<typeof onnx.GraphProto>) => void): Buffer {
  const model = onnx.ModelProto.decode(DECODER)
  edit(model.graph as InstanceType<typeof onnx.GraphProto>)
  return Buffer.from(onnx.ModelProto.encode(model).finish())
}

async function expectRefused(manager: ModelManager, source: Parameters<ModelManager['import']>[0], message: RegExp | string): Promise<void> {
  const error = await manager.import(source).catch((caught: unknown) => caught)
  expect(error).toBeInstanceOf(StudioError)
  expect((error as StudioError).code).toBe('invalid-input')
  expect((error as Error).message).toMatch(message)
  // Nothing was written: no model folder, no staging folder, no manifest.
  expect(walk(manager.modelsDir)).toEqual([])
  expect((await manager.list()).installed.map((model) => model.id)).toEqual(['toy-sam'])
}

describe('importing local model files', () => {
  it('imports the toy model folder with its manifest and PerSAM decoder', async () => {
    const manager = await openManager()
    const imported = await manager.import(TOY_DIR)
    expect(imported).toMatchObject({ id: 'toy-sam-2', name: 'Toy SAM (colour cells)', family: 'toy', isToy: false, hasPersamDecoder: true })
    const dir = await manager.modelDir('toy-sam-2')
    expect(readFileSync(path.join(dir, 'decoder-persam.onnx')).equals(PERSAM_DECODER)).toBe(true)
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'))
    expect(manifest).toMatchObject({
      id: 'toy-sam-2',
      files: { encoder: 'encoder.onnx', decoder: 'decoder.onnx', persamDecoder: 'decoder-persam.onnx' },
      encoderInput: 'nchw-normalized-1024',
      encoderInputName: 'image',
      maskCount: 4,
      persamInputs: { attnSim: 'attn_sim', targetEmbedding: 'target_embedding' },
    })
    const provenance = JSON.parse(readFileSync(path.join(dir, 'provenance.json'), 'utf8'))
    expect(provenance).toMatchObject({ origin: 'import', catalogId: null })
    expect(provenance.files.map((file: { role: string; source: string; sha256: string }) => [file.role, file.source, file.sha256])).toEqual([
      ['encoder', path.resolve(TOY_DIR, 'encoder.onnx'), sha256(ENCODER)],
      ['decoder', path.resolve(TOY_DIR, 'decoder.onnx'), sha256(DECODER)],
      ['persamDecoder', path.resolve(TOY_DIR, 'decoder-persam.onnx'), sha256(PERSAM_DECODER)],
    ])
    expect(walk(manager.modelsDir).filter((file) => file.startsWith('.'))).toEqual([])
  })

  it('imports a folder without a manifest, recognising the pair by its inputs and outputs', async () => {
    const manager = await openManager()
    const source = folder('My Model (v2)', { 'sam_encoder.onnx': ENCODER, 'sam_decoder.onnx': DECODER })
    const imported = await manager.import(source, { name: 'My model' })
    expect(imported).toMatchObject({ id: 'my-model-v2', name: 'My model', family: 'other', hasPersamDecoder: false })
    const manifest = JSON.parse(readFileSync(path.join(await manager.modelDir('my-model-v2'), 'manifest.json'), 'utf8'))
    expect(manifest).toMatchObject({ encoderInput: 'nchw-normalized-1024', maskCount: 4, persamInputs: null, source })
  })

  it('imports an explicit encoder/decoder pair', async () => {
    const manager = await openManager()
    const source = folder('pair', { 'a.onnx': ENCODER, 'b.onnx': DECODER })
    const imported = await manager.import({ encoder: path.join(source, 'a.onnx'), decoder: path.join(source, 'b.onnx') }, { id: 'pair-1' })
    expect(imported.id).toBe('pair-1')
    await expect(manager.import({ encoder: path.join(source, 'a.onnx'), decoder: path.join(source, 'b.onnx') }, { id: 'pair-1' })).rejects.toThrow('a model "pair-1" is already installed')
  })

  it('refuses a folder whose encoder and decoder are swapped, naming both files', async () => {
    const manager = await openManager()
    const manifest = readFileSync(path.join(TOY_DIR, 'manifest.json'), 'utf8').replace(/,\s*"persamDecoder": "decoder-persam.onnx"/, '').replace(/"persamInputs": \{[^}]*\}/, '"persamInputs": null')
    const source = folder('swapped', { 'encoder.onnx': DECODER, 'decoder.onnx': ENCODER, 'manifest.json': manifest })
    await expectRefused(
      manager,
      source,
      `encoder ${path.join(source, 'encoder.onnx')}: the encoder and decoder are swapped: this file has the decoder inputs (image_embeddings [1,256,64,64], point_coords [1,num_points,2], point_labels [1,num_points], mask_input [1,1,256,256], has_mask_input [1], orig_im_size [2]) and ${path.join(source, 'decoder.onnx')} has the encoder input (image [1,3,1024,1024])`,
    )
  })

  it('refuses a truncated decoder with the byte where it breaks off', async () => {
    const manager = await openManager()
    const source = folder('truncated', { 'encoder.onnx': ENCODER, 'decoder.onnx': DECODER.subarray(0, Math.floor(DECODER.length / 2)) })
    await expectRefused(manager, source, new RegExp(`^decoder ${path.join(source, 'decoder.onnx').replace(/[.()]/g, '\\$&')}: not a complete ONNX model: field 7 of the model at byte \\d+ runs past the end of the file \\(a truncated download or copy`))
  })

  it('refuses a decoder that lacks an official input, naming it', async () => {
    const manager = await openManager()
    const renamed = editedDecoder((graph) => {
      graph.input.find((input) => input.name === 'point_labels')!.name = 'labels'
    })
    const source = folder('renamed', { 'encoder.onnx': ENCODER, 'decoder.onnx': renamed })
    await expectRefused(manager, source, /decoder .*decoder\.onnx: unknown decoder inputs: expected the official SAM decoder's .*; missing point_labels \(inputs: image_embeddings, point_coords, labels,/)
  })

  it('refuses a manifest whose mask count the decoder contradicts', async () => {
    const manager = await openManager()
    const manifest = JSON.parse(readFileSync(path.join(TOY_DIR, 'manifest.json'), 'utf8'))
    const source = folder('liar', { 'encoder.onnx': ENCODER, 'decoder.onnx': DECODER, 'decoder-persam.onnx': PERSAM_DECODER, 'manifest.json': JSON.stringify({ ...manifest, maskCount: 1 }) })
    await expectRefused(manager, source, /decoder .*decoder\.onnx: its manifest\.json says 1 masks but the decoder returns 4/)
  })

  it('refuses a single file, a non-model file and a folder it cannot pair', async () => {
    const manager = await openManager()
    await expectRefused(manager, path.join(TOY_DIR, 'encoder.onnx'), /a single file is not a model; import its folder, or give the encoder and the decoder files/)
    const readme = folder('readme', { 'encoder.onnx': readFileSync(path.join(TOY_DIR, 'README.md')), 'decoder.onnx': DECODER })
    await expectRefused(manager, readme, /encoder .*encoder\.onnx: not a complete ONNX model: invalid protobuf in the model at byte 0/)
    const three = folder('three', { 'a_encoder.onnx': ENCODER, 'b_encoder.onnx': ENCODER, 'decoder.onnx': DECODER })
    await expectRefused(manager, three, /no manifest\.json, and its \.onnx files \(a_encoder\.onnx, b_encoder\.onnx, decoder\.onnx\) are not one \*encoder\*\.onnx and one \*decoder\*\.onnx/)
  })

  it('probes the mask count with one run when the decoder output shapes are symbolic', async () => {
    const manager = await openManager()
    const symbolic = editedDecoder((graph) => {
      for (const output of graph.output) {
        const dim = output.type!.tensorType!.shape!.dim![1]!
        dim.dimValue = null
        dim.dimParam = 'num_masks'
      }
    })
    const source = folder('symbolic', { 'encoder.onnx': ENCODER, 'decoder.onnx': symbolic })
    const pair = await inspectModelPair({ encoder: path.join(source, 'encoder.onnx'), decoder: path.join(source, 'decoder.onnx') })
    expect(pair.decoder.maskCount).toBeNull() // so the count below comes from running the decoder
    await manager.import(source)
    expect(JSON.parse(readFileSync(path.join(await manager.modelDir('symbolic'), 'manifest.json'), 'utf8')).maskCount).toBe(4)
  })

  it('carries external data files along, and refuses a model whose external data is missing', async () => {
    const model = onnx.ModelProto.decode(ENCODER)
    const weight = model.graph!.initializer!.find((tensor) => tensor.name === 'centre_weight')!
    const data = Buffer.from(weight.rawData!)
    weight.rawData = new Uint8Array(0)
    weight.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL
    weight.externalData = [
      { key: 'location', value: 'weights.bin' },
      { key: 'offset', value: '0' },
      { key: 'length', value: String(data.length) },
    ]
    const encoder = Buffer.from(onnx.ModelProto.encode(model).finish())
    const manager = await openManager()
    await expectRefused(manager, folder('no-data', { 'encoder.onnx': encoder, 'decoder.onnx': DECODER }), /encoder .*encoder\.onnx: its external data file weights\.bin is missing \(it must sit next to the model\)/)
    await expectRefused(manager, folder('short-data', { 'encoder.onnx': encoder, 'decoder.onnx': DECODER, 'weights.bin': data.subarray(10) }), `has ${data.length - 10} bytes; the model needs at least ${data.length}`)

    const source = folder('with-data', { 'encoder.onnx': encoder, 'decoder.onnx': DECODER, 'weights.bin': data })
    await manager.import(source)
    const dir = await manager.modelDir('with-data')
    expect(readFileSync(path.join(dir, 'weights.bin')).equals(data)).toBe(true)
    // onnxruntime finds the data next to the imported encoder.
    const session = await ort.InferenceSession.create(path.join(dir, 'encoder.onnx'))
    expect(session.inputNames).toEqual(['image'])
    await session.release()
  })
})
