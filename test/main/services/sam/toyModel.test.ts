/** The committed toy model computes exactly what its README says (checked against a TS reference). */
import * as ort from 'onnxruntime-node'
import { beforeAll, describe, expect, it } from 'vitest'
import { resizeLongestSide } from '../../../../src/common/sam/geometry'
import { postprocessLowRes } from '../../../../src/common/sam/postprocess'
import { normalizeToCanvas } from '../../../../src/common/sam/preprocess'
import { encodePrompt } from '../../../../src/common/sam/prompts'
import { prng } from '../../../helpers/samImages'
import { referenceDecode, referenceEmbedding, type ReferencePrompt } from '../../../helpers/toySamReference'

const DIR = 'resources/models/toy-sam'
let encoder: ort.InferenceSession
let decoder: ort.InferenceSession
let persam: ort.InferenceSession
let embedding: Float32Array

/** 40x40-pixel patches of random colours over an 800x600 canvas region (cells straddle patch edges), padded. */
const patches = (() => {
  const random = prng(3)
  return Array.from({ length: 300 }, () => [random() * 255, random() * 255, random() * 255].map(Math.round))
})()

function patchworkCanvas(): Float32Array {
  const width = 800
  const height = 600
  const rgb = new Uint8Array(width * height * 3)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgb.set(patches[Math.floor(y / 40) * 20 + Math.floor(x / 40)]!, (y * width + x) * 3)
  return normalizeToCanvas(rgb, width, height)
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!))
  return max
}

async function run(session: ort.InferenceSession, prompt: ReferencePrompt, size: [number, number] = [600, 800]) {
  const n = prompt.labels.length
  const feeds: Record<string, ort.Tensor> = {
    image_embeddings: new ort.Tensor('float32', embedding, [1, 256, 64, 64]),
    point_coords: new ort.Tensor('float32', prompt.coords, [1, n, 2]),
    point_labels: new ort.Tensor('float32', prompt.labels, [1, n]),
    mask_input: new ort.Tensor('float32', prompt.maskInput ?? new Float32Array(65536), [1, 1, 256, 256]),
    has_mask_input: new ort.Tensor('float32', new Float32Array([prompt.maskInput ? 1 : 0]), [1]),
    orig_im_size: new ort.Tensor('float32', Float32Array.from(size), [2]),
  }
  if (session === persam) {
    feeds.attn_sim = new ort.Tensor('float32', prompt.attnSim ?? new Float32Array(4096).fill(0.5), [1, 1, 1, 4096])
    feeds.target_embedding = new ort.Tensor('float32', prompt.targetEmbedding ?? new Float32Array(256), [1, 1, 256])
  }
  const out = await session.run(feeds)
  return { masks: out.masks!, iou: out.iou_predictions!.data as Float32Array, lowRes: out.low_res_masks!.data as Float32Array }
}

beforeAll(async () => {
  encoder = await ort.InferenceSession.create(`${DIR}/encoder.onnx`)
  decoder = await ort.InferenceSession.create(`${DIR}/decoder.onnx`)
  persam = await ort.InferenceSession.create(`${DIR}/decoder-persam.onnx`)
  const canvas = patchworkCanvas()
  const out = await encoder.run({ image: new ort.Tensor('float32', canvas, [1, 3, 1024, 1024]) })
  embedding = out.image_embeddings!.data as Float32Array
  expect(maxAbsDiff(embedding, referenceEmbedding(canvas))).toBeLessThan(1e-4)
})

describe('toy SAM model matches its README', () => {
  it('has the official decoder I/O names, in order, and the PerSAM extras', () => {
    expect(decoder.inputNames).toEqual(['image_embeddings', 'point_coords', 'point_labels', 'mask_input', 'has_mask_input', 'orig_im_size'])
    expect(decoder.outputNames).toEqual(['masks', 'iou_predictions', 'low_res_masks'])
    expect(persam.inputNames).toEqual([...decoder.inputNames, 'attn_sim', 'target_embedding'])
    expect(encoder.inputNames).toEqual(['image'])
  })

  it('encoder: cells of similar colour have a high cosine, different colours a low one', () => {
    // Checked above against the reference; here the property PerSAM relies on.
    const cell = (row: number, col: number) => Float32Array.from({ length: 256 }, (_, k) => embedding[k * 4096 + row * 64 + col]!)
    const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i]!, 0) / Math.hypot(...a) / Math.hypot(...b)
    // Cells (0,0) and (0,1) lie in the same 40px patch (the canvas holds the 800x600 pixels unscaled).
    expect(cosine(cell(0, 0), cell(0, 1))).toBeGreaterThan(0.999)
    expect(cosine(cell(60, 60), cell(63, 63))).toBeGreaterThan(0.999) // both padding
    // Patch pc of row 0 fully covers cell column ceil(2.5 pc); compare the two most different colours.
    let far = { a: 0, b: 1, distance: 0 }
    for (let a = 0; a < 20; a++) {
      for (let b = a + 1; b < 20; b++) {
        const distance = Math.hypot(...patches[a]!.map((v, c) => v - patches[b]![c]!))
        if (distance > far.distance) far = { a, b, distance }
      }
    }
    expect(far.distance).toBeGreaterThan(200)
    expect(cosine(cell(0, Math.ceil(2.5 * far.a)), cell(0, Math.ceil(2.5 * far.b)))).toBeLessThan(0.01)
  })

  const geometry = resizeLongestSide(800, 600)
  const prompts: Record<string, () => ReferencePrompt> = {
    'one positive click': () => encodePrompt(geometry, [{ x: 410, y: 300, label: 1 }]),
    'positive and negative clicks': () => encodePrompt(geometry, [{ x: 410, y: 300, label: 1 }, { x: 450, y: 320, label: 0 }, { x: 90, y: 500, label: 1 }]),
    'a box alone (centre as prototype)': () => encodePrompt(geometry, [], { x0: 200, y0: 150, x1: 520, y1: 410 }),
    'a click and a box': () => encodePrompt(geometry, [{ x: 300, y: 200, label: 1 }], { x0: 200, y0: 150, x1: 520, y1: 410 }),
    'only negative clicks': () => encodePrompt(geometry, [{ x: 300, y: 200, label: 0 }]),
  }
  for (const [name, build] of Object.entries(prompts)) {
    it(`decoder: ${name}`, async () => {
      const prompt = build()
      const actual = await run(decoder, prompt)
      const expected = referenceDecode(embedding, prompt)
      expect(maxAbsDiff(actual.lowRes, expected.lowRes)).toBeLessThan(2e-3)
      for (let k = 0; k < 4; k++) expect(actual.iou[k]).toBeCloseTo(expected.iou[k]!, 2)
    })
  }

  it('decoder: mask_input is clipped to +-4 and added when has_mask_input is 1', async () => {
    const maskInput = Float32Array.from({ length: 65536 }, (_, i) => ((i % 256) - 128) / 8) // -16 .. 16
    const prompt = { ...prompts['one positive click']!(), maskInput }
    const actual = await run(decoder, prompt)
    expect(maxAbsDiff(actual.lowRes, referenceDecode(embedding, prompt).lowRes)).toBeLessThan(2e-3)
    const without = await run(decoder, prompts['one positive click']!())
    expect(actual.lowRes[0]! - without.lowRes[0]!).toBeCloseTo(-4, 3) // column 0: -16 clipped to -4
  })

  it('PerSAM decoder: target_embedding adds a prototype, attn_sim biases the score', async () => {
    const target = Float32Array.from({ length: 256 }, (_, k) => embedding[k * 4096 + 10 * 64 + 40]!) // the feature of cell (10, 40)
    const attnSim = Float32Array.from({ length: 4096 }, (_, cell) => ((cell % 64) < 32 ? 0.9 : 0.2))
    const prompt = { ...encodePrompt(geometry, [{ x: 90, y: 500, label: 1 }]), targetEmbedding: target, attnSim }
    const actual = await run(persam, prompt)
    expect(maxAbsDiff(actual.lowRes, referenceDecode(embedding, prompt).lowRes)).toBeLessThan(2e-3)
    // Neutral PerSAM inputs reproduce the standard decoder.
    const plain = encodePrompt(geometry, [{ x: 90, y: 500, label: 1 }])
    expect(maxAbsDiff((await run(persam, plain)).lowRes, (await run(decoder, plain)).lowRes)).toBeLessThan(1e-5)
  })

  it('masks are postprocess_masks of low_res_masks at orig_im_size (crop included)', async () => {
    for (const [height, width] of [[600, 800], [300, 700], [1000, 250]] as const) {
      const prompt = prompts['positive and negative clicks']!()
      const actual = await run(decoder, prompt, [height, width])
      expect(actual.masks.dims).toEqual([1, 4, height, width])
      const g = resizeLongestSide(width, height)
      const data = actual.masks.data as Float32Array
      for (let k = 0; k < 4; k++) {
        const expected = postprocessLowRes(actual.lowRes.subarray(k * 65536, (k + 1) * 65536), g)
        expect(maxAbsDiff(data.subarray(k * width * height, (k + 1) * width * height), expected)).toBeLessThan(2e-3)
      }
    }
  })
})
