/**
 * The committed SAM decoder replica: exactly what `npm run gen:replica-decoder` produces, with the
 * official export's interface, module-scoped node names and wiring, and computing what the
 * TypeScript reference forward pass computes.
 */
import { readFileSync } from 'node:fs'
import * as ort from 'onnxruntime-node'
import { beforeAll, describe, expect, it } from 'vitest'
import { replicaDecoderBytes } from '../../scripts/sam-replica/files'
import { replicaForward } from '../../scripts/sam-replica/reference'
import { replicaWeights } from '../../scripts/sam-replica/weights'
import { decodeModel } from '../../src/main/services/onnx/graphBuilder'
import { outputsDiff, randomEmbedding, REPLICA_DECODER, replicaPrompts, runDecoder } from '../helpers/samReplica'

const weights = replicaWeights()
let session: ort.InferenceSession

beforeAll(async () => {
  session = await ort.InferenceSession.create(REPLICA_DECODER)
})

describe('test/fixtures/sam-replica/decoder.onnx', () => {
  it('regenerates byte for byte (run `npm run gen:replica-decoder` after changing scripts/sam-replica)', () => {
    const committed = readFileSync(REPLICA_DECODER)
    expect(Buffer.compare(committed, Buffer.from(replicaDecoderBytes()))).toBe(0)
    expect(committed.length).toBeLessThan(600_000)
  })

  it('has the official interface, module scopes and the exporter-shared query Adds', () => {
    const graph = decodeModel(readFileSync(REPLICA_DECODER)).graph!
    expect(graph.input!.map((input) => input.name)).toEqual(['image_embeddings', 'point_coords', 'point_labels', 'mask_input', 'has_mask_input', 'orig_im_size'])
    expect(graph.output!.map((output) => output.name)).toEqual(['masks', 'iou_predictions', 'low_res_masks'])
    const nodes = new Map(graph.node!.map((node) => [node.name!, node]))
    const softmaxes = graph.node!.filter((node) => node.opType === 'Softmax').map((node) => node.name)
    expect(softmaxes).toEqual([
      ...[0, 1].flatMap((l) => ['self_attn', 'cross_attn_token_to_image', 'cross_attn_image_to_token'].map((m) => `/transformer/layers.${l}/${m}/Softmax`)),
      '/transformer/final_attn_token_to_image/Softmax',
    ])
    // torch's CSE: layer 1's self-attention and the final attention read the previous Add of queries + query_pe.
    expect(nodes.get('/transformer/layers.1/self_attn/q_proj/MatMul')!.input![0]).toBe('/transformer/layers.0/Add_4_output_0')
    expect(nodes.get('/transformer/final_attn_token_to_image/q_proj/MatMul')!.input![0]).toBe('/transformer/layers.1/Add_5_output_0')
    expect(nodes.get('/transformer/layers.0/self_attn/q_proj/MatMul')!.input![0]).toBe('/Concat_2_output_0')
    expect(nodes.get('/Concat_2')!.opType).toBe('Concat')
    expect(graph.node!.length).toBeGreaterThan(1100)
  })

  it('computes what the reference forward pass computes (points, padding, box, mask input, crops)', async () => {
    const embedding = randomEmbedding(11)
    const first = await runDecoder(session, embedding, replicaPrompts(new Float32Array(65536))[0]!)
    const maskInput = first.lowResMasks.slice(2 * 65536, 3 * 65536)
    for (const prompt of replicaPrompts(maskInput)) {
      const actual = await runDecoder(session, embedding, prompt)
      expect(actual.maskDims).toEqual([1, 4, ...prompt.origImSize])
      const expected = replicaForward(weights, embedding, prompt)
      expect(outputsDiff(actual, expected), JSON.stringify(prompt.labels)).toBeLessThan(1e-4)
    }
  })

  it('responds to every input: a different click, label or mask input changes the masks', async () => {
    const embedding = randomEmbedding(12)
    const base = await runDecoder(session, embedding, { coords: [300, 200, 0, 0], labels: [1, -1], origImSize: [256, 256] })
    const moved = await runDecoder(session, embedding, { coords: [700, 800, 0, 0], labels: [1, -1], origImSize: [256, 256] })
    const negative = await runDecoder(session, embedding, { coords: [300, 200, 0, 0], labels: [0, -1], origImSize: [256, 256] })
    const masked = await runDecoder(session, embedding, { coords: [300, 200, 0, 0], labels: [1, -1], origImSize: [256, 256], maskInput: base.lowResMasks.slice(0, 65536) })
    for (const other of [moved, negative, masked]) expect(outputsDiff(other, base)).toBeGreaterThan(1e-3)
  })
})
