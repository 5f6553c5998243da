/**
 * The converter on the structural replica of the official decoder export: the converted graph
 * computes PerSAM's decoder exactly as the reference forward pass does, is a no-op with zero
 * PerSAM inputs, and every decoder it cannot convert is refused with nothing written.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import * as ort from 'onnxruntime-node'
import { beforeAll, describe, expect, it } from 'vitest'
import { replicaForward, type ReplicaPrompt } from '../../../../../scripts/sam-replica/reference'
import { replicaWeights } from '../../../../../scripts/sam-replica/weights'
import { decodeModel, encodeModel } from '../../../../../src/main/services/onnx/graphBuilder'
import { PersamifyError } from '../../../../../src/main/services/onnx/persamify/errors'
import { persamifyDecoder, readPersamifyStamp, type PersamifyReport } from '../../../../../src/main/services/onnx/persamify/persamifyDecoder'
import { outputsDiff, randomAttnSim, randomEmbedding, randomTargetEmbedding, REPLICA_DECODER, runDecoder } from '../../../../helpers/samReplica'
import { useTempDir } from '../../../../helpers/tempDir'

const dir = useTempDir('persamify-')
const weights = replicaWeights()
const converted = path.join(dir, 'decoder-persam.onnx')
let report: PersamifyReport
let standard: ort.InferenceSession
let persam: ort.InferenceSession

beforeAll(async () => {
  report = await persamifyDecoder(REPLICA_DECODER, converted)
  standard = await ort.InferenceSession.create(REPLICA_DECODER)
  persam = await ort.InferenceSession.create(converted)
})

/** Writes a modified copy of the replica and returns its path. */
function variant(name: string, edit: (model: ReturnType<typeof decodeModel>) => void): string {
  const model = decodeModel(readFileSync(REPLICA_DECODER))
  edit(model)
  const file = path.join(dir, name)
  writeFileSync(file, encodeModel(model))
  return file
}

async function expectRefused(input: string, output: string, pattern: RegExp): Promise<PersamifyError> {
  const before = readdirSync(path.dirname(output)).sort()
  const error = await persamifyDecoder(input, output).catch((caught: unknown) => caught)
  expect(error).toBeInstanceOf(PersamifyError)
  expect((error as Error).message).toMatch(pattern)
  expect(existsSync(output)).toBe(false)
  expect(readdirSync(path.dirname(output)).sort()).toEqual(before)
  return error as PersamifyError
}

const prompts: ReplicaPrompt[] = [
  { coords: [300, 200, 700, 100, 0, 0], labels: [1, 0, -1], origImSize: [480, 640] },
  { coords: [520, 610, 400, 500, 700, 820], labels: [1, 2, 3], origImSize: [1024, 768] },
]

describe('persamifyDecoder on the official-export replica', () => {
  it('adds attn_sim and target_embedding and reports what it changed', () => {
    const graph = decodeModel(readFileSync(converted)).graph!
    expect(graph.input!.map((input) => input.name)).toEqual(['image_embeddings', 'point_coords', 'point_labels', 'mask_input', 'has_mask_input', 'orig_im_size', 'attn_sim', 'target_embedding'])
    const dims = (name: string) => graph.input!.find((input) => input.name === name)!.type!.tensorType!.shape!.dim!.map((dim) => Number(dim.dimValue))
    expect(dims('attn_sim')).toEqual([1, 1, 1, 4096])
    expect(dims('target_embedding')).toEqual([1, 1, 256])
    expect(graph.output!.map((output) => output.name)).toEqual(['masks', 'iou_predictions', 'low_res_masks'])
    expect(report.nodesAfter - report.nodesBefore).toBe(report.inserted.length)
    expect(graph.node!.filter((node) => node.opType === 'Softmax')).toHaveLength(9)
    const rewiredNodes = report.rewired.map((edge) => edge.node)
    // Only layer 1 reads layer 0's queries + t; layer 0's image-to-token attention keeps them.
    expect(rewiredNodes).toEqual(expect.arrayContaining(['/transformer/layers.1/self_attn/q_proj/MatMul', '/transformer/layers.1/self_attn/v_proj/MatMul', '/transformer/layers.1/Add']))
    expect(rewiredNodes).not.toContain('/transformer/layers.0/cross_attn_image_to_token/v_proj/MatMul')
    // The final attention's query gets + t; its residual does not.
    expect(rewiredNodes).toContain('/transformer/final_attn_token_to_image/q_proj/MatMul')
    expect(rewiredNodes).not.toContain('/transformer/Add_1')
    expect(rewiredNodes.filter((node) => node.endsWith('/MatMul_1'))).toEqual(['/transformer/layers.0/cross_attn_token_to_image/MatMul_1', '/transformer/layers.1/cross_attn_token_to_image/MatMul_1'])
    expect(readPersamifyStamp(decodeModel(readFileSync(converted)))?.sourceSha256).toBe(report.sourceSha256)
    expect(report.externalData).toEqual([])
  })

  it('computes the reference PerSAM forward pass (docs/sam-onnx-io.md, "The PerSAM decoder") within 1e-4', async () => {
    const embedding = randomEmbedding(21)
    for (const [i, prompt] of prompts.entries()) {
      const inputs = { attnSim: randomAttnSim(30 + i), targetEmbedding: randomTargetEmbedding(40 + i) }
      const actual = await runDecoder(persam, embedding, prompt, inputs)
      expect(outputsDiff(actual, replicaForward(weights, embedding, prompt, inputs))).toBeLessThan(1e-4)
      // The changes matter far beyond the tolerance, so the comparison above can fail.
      expect(outputsDiff(actual, replicaForward(weights, embedding, prompt))).toBeGreaterThan(1e-2)
    }
  })

  it('applies the target embedding alone when attn_sim is all zeros (the gate keeps the standard attention)', async () => {
    const embedding = randomEmbedding(22)
    const inputs = { attnSim: null, targetEmbedding: randomTargetEmbedding(50) }
    const actual = await runDecoder(persam, embedding, prompts[0]!, inputs)
    expect(outputsDiff(actual, replicaForward(weights, embedding, prompts[0]!, inputs))).toBeLessThan(1e-4)
    expect(outputsDiff(actual, await runDecoder(standard, embedding, prompts[0]!))).toBeGreaterThan(1e-2)
  })

  it('equals the unconverted decoder when target_embedding and attn_sim are zero', async () => {
    const embedding = randomEmbedding(23)
    const zeros = { attnSim: new Float32Array(4096), targetEmbedding: new Float32Array(256) }
    for (const prompt of prompts) {
      expect(outputsDiff(await runDecoder(persam, embedding, prompt, zeros), await runDecoder(standard, embedding, prompt))).toBeLessThan(1e-6)
    }
  })

  it('keeps external weights external: the PerSAM decoder shares the data file next to it', async () => {
    const folder = path.join(dir, 'external')
    mkdirSync(folder)
    const model = decodeModel(readFileSync(REPLICA_DECODER))
    const chunks: Uint8Array[] = []
    let offset = 0
    for (const tensor of model.graph!.initializer!) {
      const raw = tensor.rawData!
      if (raw.length <= 1024) continue
      tensor.dataLocation = 1 // EXTERNAL
      tensor.externalData = [
        { key: 'location', value: 'decoder.onnx.data' },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(raw.length) },
      ]
      tensor.rawData = new Uint8Array(0)
      chunks.push(Uint8Array.from(raw))
      offset += raw.length
    }
    writeFileSync(path.join(folder, 'decoder.onnx.data'), Buffer.concat(chunks))
    writeFileSync(path.join(folder, 'decoder.onnx'), encodeModel(model))

    const output = path.join(folder, 'decoder-persam.onnx')
    const external = await persamifyDecoder(path.join(folder, 'decoder.onnx'), output)
    expect(external.externalData).toEqual(['decoder.onnx.data'])
    expect(statSync(output).size).toBeLessThan(statSync(converted).size - offset + 10_000)
    const session = await ort.InferenceSession.create(output)
    const embedding = randomEmbedding(24)
    const inputs = { attnSim: randomAttnSim(60), targetEmbedding: randomTargetEmbedding(61) }
    expect(outputsDiff(await runDecoder(session, embedding, prompts[0]!, inputs), await runDecoder(persam, embedding, prompts[0]!, inputs))).toBeLessThan(1e-6)
    await session.release()

    // Elsewhere the data file would not be found; without it nothing can be converted.
    await expectRefused(path.join(folder, 'decoder.onnx'), path.join(dir, 'elsewhere-persam.onnx'), /external data \(decoder\.onnx\.data\); write the PerSAM decoder into the same folder/)
    unlinkSync(output)
    unlinkSync(path.join(folder, 'decoder.onnx.data'))
    await expectRefused(path.join(folder, 'decoder.onnx'), output, /external data file decoder\.onnx\.data is missing/)
  })

  it('writes the same bytes every time', async () => {
    const again = path.join(dir, 'again.onnx')
    await persamifyDecoder(REPLICA_DECODER, again)
    expect(Buffer.compare(readFileSync(again), readFileSync(converted))).toBe(0)
  })
})

describe('persamifyDecoder refusals (nothing written)', () => {
  it('refuses the toy decoder, naming every structure it could not find', async () => {
    const error = await expectRefused('resources/models/toy-sam/decoder.onnx', path.join(dir, 'toy-persam.onnx'), /not an official-export SAM decoder graph/)
    expect(error.missing).toEqual(
      expect.arrayContaining([
        expect.stringContaining('transformer/layers.0/cross_attn_token_to_image/Softmax'),
        expect.stringContaining('transformer/layers.1/cross_attn_token_to_image/Softmax'),
        expect.stringContaining('tokens Concat'),
        expect.stringContaining('transformer/layers.0/norm3'),
        expect.stringContaining('final_attn_token_to_image/q_proj'),
      ]),
    )
  })

  it('refuses a truncated file', async () => {
    const bytes = readFileSync(REPLICA_DECODER)
    const truncated = path.join(dir, 'truncated.onnx')
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)))
    await expectRefused(truncated, path.join(dir, 'truncated-persam.onnx'), /truncated/)
  })

  it('refuses a missing file and a file that is not ONNX', async () => {
    await expectRefused(path.join(dir, 'absent.onnx'), path.join(dir, 'absent-persam.onnx'), /cannot read the decoder/)
    const text = path.join(dir, 'text.onnx')
    writeFileSync(text, 'not a model at all\n')
    await expectRefused(text, path.join(dir, 'text-persam.onnx'), /not (a readable ONNX model|an ONNX model)/)
  })

  it('refuses a decoder that already has the PerSAM inputs', async () => {
    await expectRefused(converted, path.join(dir, 'twice.onnx'), /already has the PerSAM inputs/)
  })

  it('names the part of the structure that differs', async () => {
    const renamed = variant('no-softmax.onnx', (model) => {
      const node = model.graph!.node!.find((candidate) => candidate.name === '/transformer/layers.1/cross_attn_token_to_image/Softmax')!
      node.name = '/transformer/layers.1/cross_attn_token_to_image/SoftmaxRenamed/Softmax'
      node.opType = 'LogSoftmax'
    })
    const softmax = await expectRefused(renamed, path.join(dir, 'no-softmax-persam.onnx'), /layers\.1\/cross_attn_token_to_image\/Softmax/)
    expect(softmax.missing).toHaveLength(1)

    const axis = variant('axis.onnx', (model) => {
      const node = model.graph!.node!.find((candidate) => candidate.name === '/transformer/layers.0/cross_attn_token_to_image/Softmax')!
      node.attribute![0]!.i = 2
    })
    await expectRefused(axis, path.join(dir, 'axis-persam.onnx'), /over the key axis .*axis=2/)

    const finalQuery = variant('final-query.onnx', (model) => {
      const node = model.graph!.node!.find((candidate) => candidate.name === '/transformer/final_attn_token_to_image/q_proj/MatMul')!
      node.input![0] = '/transformer/layers.1/norm3/LayerNormalization_output_0'
    })
    await expectRefused(finalQuery, path.join(dir, 'final-query-persam.onnx'), /final_attn_token_to_image\/q_proj reading queries \+ point_embedding/)

    const quantized = variant('quantized.onnx', (model) => {
      model.graph!.node!.find((candidate) => candidate.name === '/transformer/layers.0/mlp/lin1/MatMul')!.opType = 'MatMulInteger'
    })
    await expectRefused(quantized, path.join(dir, 'quantized-persam.onnx'), /quantized: MatMulInteger/)

    const oldOpset = variant('opset10.onnx', (model) => {
      model.opsetImport![0]!.version = 10
    })
    await expectRefused(oldOpset, path.join(dir, 'opset10-persam.onnx'), /opset 10; .* need opset 11 or newer/)

    const deeper = variant('deeper.onnx', (model) => {
      model.graph!.node!.push({ name: '/transformer/layers.2/norm1/Identity', opType: 'Identity', input: ['/transformer/Add_output_0'], output: ['/transformer/layers.2/norm1/Identity_output_0'] })
    })
    await expectRefused(deeper, path.join(dir, 'deeper-persam.onnx'), /exactly 2 layers/)
  })
})
