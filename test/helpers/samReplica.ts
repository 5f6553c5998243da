/**
 * Running the SAM decoder replica (test/fixtures/sam-replica, scripts/sam-replica) and its
 * conversions with onnxruntime, and comparing them with the TypeScript reference forward pass.
 */
import * as ort from 'onnxruntime-node'
import type { PersamDecoderInputs, ReplicaOutputs, ReplicaPrompt } from '../../scripts/sam-replica/reference'
import { prng } from './samImages'

export const REPLICA_DECODER = 'test/fixtures/sam-replica/decoder.onnx'

export interface OrtOutputs {
  readonly masks: Float32Array
  readonly maskDims: readonly number[]
  readonly iouPredictions: Float32Array
  readonly lowResMasks: Float32Array
}

/** A seeded image embedding [256, 64, 64] with values in [-1, 1). */
export function randomEmbedding(seed: number): Float32Array {
  const random = prng(seed)
  return Float32Array.from({ length: 256 * 4096 }, () => 2 * random() - 1)
}

/** attn_sim as the engine makes it: a sigmoid of a z-scored map, here a smooth blob plus noise. */
export function randomAttnSim(seed: number): Float32Array {
  const random = prng(seed)
  const [cx, cy] = [10 + 44 * random(), 10 + 44 * random()]
  return Float32Array.from({ length: 4096 }, (_, i) => {
    const d2 = (Math.floor(i / 64) - cy) ** 2 + ((i % 64) - cx) ** 2
    return 1 / (1 + Math.exp(-(3 * Math.exp(-d2 / 80) - 1 + 0.5 * (random() - 0.5))))
  })
}

export function randomTargetEmbedding(seed: number): Float32Array {
  const random = prng(seed)
  return Float32Array.from({ length: 256 }, () => 2 * random() - 1)
}

export async function runDecoder(session: ort.InferenceSession, embedding: Float32Array, prompt: ReplicaPrompt, persam?: PersamDecoderInputs): Promise<OrtOutputs> {
  const n = prompt.labels.length
  const feeds: Record<string, ort.Tensor> = {
    image_embeddings: new ort.Tensor('float32', embedding, [1, 256, 64, 64]),
    point_coords: new ort.Tensor('float32', Float32Array.from(prompt.coords), [1, n, 2]),
    point_labels: new ort.Tensor('float32', Float32Array.from(prompt.labels), [1, n]),
    mask_input: new ort.Tensor('float32', prompt.maskInput ? Float32Array.from(prompt.maskInput) : new Float32Array(65536), [1, 1, 256, 256]),
    has_mask_input: new ort.Tensor('float32', Float32Array.of(prompt.maskInput ? 1 : 0), [1]),
    orig_im_size: new ort.Tensor('float32', Float32Array.from(prompt.origImSize), [2]),
  }
  if (persam) {
    feeds.attn_sim = new ort.Tensor('float32', persam.attnSim ? Float32Array.from(persam.attnSim) : new Float32Array(4096), [1, 1, 1, 4096])
    feeds.target_embedding = new ort.Tensor('float32', Float32Array.from(persam.targetEmbedding), [1, 1, 256])
  }
  const out = await session.run(feeds)
  return {
    masks: out.masks!.data as Float32Array,
    maskDims: out.masks!.dims,
    iouPredictions: out.iou_predictions!.data as Float32Array,
    lowResMasks: out.low_res_masks!.data as Float32Array,
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`)
  let max = 0
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!))
  return max
}

/** The largest difference over the three outputs. */
export function outputsDiff(actual: OrtOutputs, expected: ReplicaOutputs | OrtOutputs): number {
  return Math.max(maxAbsDiff(actual.masks, expected.masks), maxAbsDiff(actual.iouPredictions, expected.iouPredictions), maxAbsDiff(actual.lowResMasks, expected.lowResMasks))
}

/** Prompts covering the official conventions: click + padding point, clicks, box, box + click, mask input. */
export function replicaPrompts(maskInput: Float32Array): ReplicaPrompt[] {
  return [
    { coords: [300, 200, 0, 0], labels: [1, -1], origImSize: [600, 800] },
    { coords: [512, 700, 100.5, 40, 0, 0], labels: [1, 0, -1], origImSize: [1024, 1024] },
    { coords: [120, 300, 610, 900], labels: [2, 3], origImSize: [1500, 1000] },
    { coords: [400, 500, 120, 300, 610, 900], labels: [1, 2, 3], origImSize: [333, 500], maskInput },
  ]
}
