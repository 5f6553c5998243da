import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import onnxProto from 'onnx-proto'
import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { OnnxFormatError, readOnnxGraphIo } from '../../../../src/main/services/onnx/onnxGraphIo'

const { onnx } = onnxProto
const TOY_DIR = 'resources/models/toy-sam'
const ENCODER = readFileSync(path.join(TOY_DIR, 'encoder.onnx'))
const dir = mkdtempSync(path.join(os.tmpdir(), 'persam-onnx-io-'))
const write = (name: string, bytes: Uint8Array) => {
  const file = path.join(dir, name)
  writeFileSync(file, bytes)
  return file
}

describe('readOnnxGraphIo', () => {
  it.each(['encoder.onnx', 'decoder.onnx', 'decoder-persam.onnx'])('reads the same inputs and outputs as onnxruntime for %s', async (name) => {
    const file = path.join(TOY_DIR, name)
    const io = await readOnnxGraphIo(file)
    const session = await ort.InferenceSession.create(file)
    const metadata = (values: readonly ort.InferenceSession.ValueMetadata[]) =>
      values.map((value) => (value.isTensor ? { name: value.name, type: value.type, shape: value.shape } : { name: value.name }))
    expect(io.inputs).toEqual(metadata(session.inputMetadata))
    expect(io.outputs).toEqual(metadata(session.outputMetadata))
    await session.release()
    expect(io).toMatchObject({ irVersion: 8, opsets: [{ domain: '', version: 17 }], externalData: [] })
  })

  it('does not count weights listed among the inputs (models before IR version 4) as inputs', async () => {
    const model = onnx.ModelProto.decode(ENCODER)
    for (const tensor of model.graph!.initializer!) {
      model.graph!.input!.push({ name: tensor.name, type: { tensorType: { elemType: 1, shape: { dim: tensor.dims!.map((dimValue) => ({ dimValue })) } } } })
    }
    const io = await readOnnxGraphIo(write('old-ir.onnx', onnx.ModelProto.encode(model).finish()))
    expect(io.inputs.map((input) => input.name)).toEqual(['image'])
  })

  it('refuses every proper prefix of a model (a cut-off file) with the byte offset', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: ENCODER.length - 1 }), async (length) => {
        const error = await readOnnxGraphIo(write('prefix.onnx', ENCODER.subarray(0, length))).catch((caught: unknown) => caught)
        expect(error).toBeInstanceOf(OnnxFormatError)
        expect((error as Error).message).toMatch(/byte \d+|the file is empty|no graph found|no IR version or opset/)
      }),
      { numRuns: 150 },
    )
  })

  it('refuses files that are not protobuf', async () => {
    await expect(readOnnxGraphIo(path.join(TOY_DIR, 'README.md'))).rejects.toThrow('invalid protobuf in the model at byte 0 (wire type 3)')
    await expect(readOnnxGraphIo(write('empty.onnx', new Uint8Array(0)))).rejects.toThrow('the file is empty')
  })
})
