/**
 * The replica decoder's forward pass in plain float64 loops, with and without PerSAM's decoder
 * changes, exactly as the reference PerSAM code behaves (docs/sam-onnx-io.md, "The PerSAM decoder"):
 *
 *   P = tokens + t; Q0 = tokens + t; layer 0; Q1 = Q0' + t; layer 1;
 *   final attention query = Q1' + P + t, residual Q1' (no t);
 *   token-to-image attention of both layers: softmax(softmax(q k^T / sqrt(d)) + attn_sim).
 *
 * Tests compare onnxruntime's output for the generated and the converted ONNX graphs with this.
 */
import { CANVAS, EMBED, GRID, LAYER_NORM_2D_EPS, LAYER_NORM_EPS, LOW_RES, MASK_TOKENS } from './config'
import { add, addRow, attention, convStrided, convTransposeStrided, gelu, layerNorm, layerNorm2d, linear, relu, resizeBilinear, type Matrix } from './referenceMath'
import type { BlockWeights, Linear, ReplicaWeights } from './weights'

export interface ReplicaPrompt {
  /** [N, 2] (x, y) in the 1024 frame, as fed to point_coords. */
  readonly coords: ArrayLike<number>
  /** [N]: 1, 0, 2, 3 or -1 (padding). */
  readonly labels: ArrayLike<number>
  /** [256 * 256] previous low-res logits, or null (has_mask_input = 0). */
  readonly maskInput?: ArrayLike<number> | null
  /** orig_im_size: [height, width]. */
  readonly origImSize: readonly [number, number]
}

export interface PersamDecoderInputs {
  /**
   * [4096], one weight per image cell (row-major 64x64); null keeps the standard attention (what
   * a converted decoder does when attn_sim is all zeros).
   */
  readonly attnSim: ArrayLike<number> | null
  /** [256] */
  readonly targetEmbedding: ArrayLike<number>
}

export interface ReplicaOutputs {
  /** [4, height, width] */
  readonly masks: Float64Array
  /** [4] */
  readonly iouPredictions: Float64Array
  /** [4, 256, 256] */
  readonly lowResMasks: Float64Array
}

const CELLS = GRID * GRID

function fourier(x: number, y: number, gaussian: Float32Array, out: Float64Array, offset: number): void {
  const half = EMBED / 2
  for (let f = 0; f < half; f++) {
    const angle = 2 * Math.PI * (x * gaussian[f]! + y * gaussian[half + f]!)
    out[offset + f] = Math.sin(angle)
    out[offset + half + f] = Math.cos(angle)
  }
}

function sparseEmbedding(w: ReplicaWeights, prompt: ReplicaPrompt): Matrix {
  const count = prompt.labels.length
  const out = new Float64Array(count * EMBED)
  for (let n = 0; n < count; n++) {
    const label = prompt.labels[n]!
    const offset = n * EMBED
    if (label === -1) {
      for (let c = 0; c < EMBED; c++) out[offset + c] = w.prompt.notAPoint[c]!
      continue
    }
    const x = ((prompt.coords[2 * n]! + 0.5) / CANVAS) * 2 - 1
    const y = ((prompt.coords[2 * n + 1]! + 0.5) / CANVAS) * 2 - 1
    fourier(x, y, w.prompt.gaussian, out, offset)
    const table = w.prompt.pointEmbeddings[label]
    if (table) for (let c = 0; c < EMBED; c++) out[offset + c]! += table[c]!
  }
  return out
}

/** [4096, 256]: image embedding plus the dense prompt embedding, one row per cell. */
function keysFromImage(w: ReplicaWeights, embeddings: ArrayLike<number>, prompt: ReplicaPrompt): Matrix {
  const dense = new Float64Array(EMBED * CELLS)
  if (prompt.maskInput) {
    const layers = w.prompt.maskDownscaling
    let x = Float64Array.from(prompt.maskInput)
    let size = LOW_RES
    ;({ out: x, size } = convStrided(x, size, layers.conv0))
    x = gelu(layerNorm2d(x, layers.conv0.outputs, size * size, layers.norm1, LAYER_NORM_2D_EPS))
    ;({ out: x, size } = convStrided(x, size, layers.conv3))
    x = gelu(layerNorm2d(x, layers.conv3.outputs, size * size, layers.norm4, LAYER_NORM_2D_EPS))
    dense.set(convStrided(x, size, layers.conv6).out)
  } else {
    for (let c = 0; c < EMBED; c++) dense.fill(w.prompt.noMask[c]!, c * CELLS, (c + 1) * CELLS)
  }
  const keys = new Float64Array(CELLS * EMBED)
  for (let c = 0; c < EMBED; c++) for (let p = 0; p < CELLS; p++) keys[p * EMBED + c] = embeddings[c * CELLS + p]! + dense[c * CELLS + p]!
  return keys
}

/** get_dense_pe() as [4096, 256] rows. */
function densePositionalEncoding(w: ReplicaWeights): Matrix {
  const out = new Float64Array(CELLS * EMBED)
  for (let row = 0; row < GRID; row++) {
    for (let col = 0; col < GRID; col++) fourier((2 * (col + 0.5)) / GRID - 1, (2 * (row + 0.5)) / GRID - 1, w.prompt.gaussian, out, (row * GRID + col) * EMBED)
  }
  return out
}

function mlp(x: Matrix, rows: number, layers: readonly Linear[]): Matrix {
  let value = x
  layers.forEach((layer, i) => {
    value = linear(value, rows, layer)
    if (i < layers.length - 1) value = relu(value)
  })
  return value
}

interface Stream {
  readonly queries: Matrix
  readonly keys: Matrix
}

function block(state: Stream, tokens: number, queryPe: Matrix, keyPe: Matrix, weights: BlockWeights, first: boolean, attnSim: ArrayLike<number> | null): Stream {
  let queries: Matrix
  if (first) {
    queries = attention(state.queries, tokens, state.queries, state.queries, tokens, weights.selfAttn)
  } else {
    const q = add(state.queries, queryPe)
    queries = add(state.queries, attention(q, tokens, q, state.queries, tokens, weights.selfAttn))
  }
  queries = layerNorm(queries, tokens, weights.norm1, LAYER_NORM_EPS)
  const keysWithPe = add(state.keys, keyPe)
  const tokenToImage = attention(add(queries, queryPe), tokens, keysWithPe, state.keys, CELLS, weights.crossTokenToImage, attnSim)
  queries = layerNorm(add(queries, tokenToImage), tokens, weights.norm2, LAYER_NORM_EPS)
  const hidden = relu(linear(queries, tokens, weights.mlp.lin1))
  queries = layerNorm(add(queries, linear(hidden, tokens, weights.mlp.lin2)), tokens, weights.norm3, LAYER_NORM_EPS)
  const imageToToken = attention(keysWithPe, CELLS, add(queries, queryPe), queries, tokens, weights.crossImageToToken)
  const keys = layerNorm(add(state.keys, imageToToken), CELLS, weights.norm4, LAYER_NORM_EPS)
  return { queries, keys }
}

/** hs [tokens, 256] and the image stream [4096, 256] after the two-way transformer. */
function transformer(w: ReplicaWeights, tokens: Matrix, count: number, keys: Matrix, persam: PersamDecoderInputs | null): { hs: Matrix; keys: Matrix } {
  const keyPe = densePositionalEncoding(w)
  const t = persam?.targetEmbedding ?? null
  // The reference adds t in place to `queries`, which aliases the tokens (the query PE) at that point.
  const queryPe = t ? addRow(tokens, t) : tokens
  let state: Stream = { queries: queryPe, keys }
  w.decoder.layers.forEach((weights, index) => {
    const queries = t && index > 0 ? addRow(state.queries, t) : state.queries
    state = block({ queries, keys: state.keys }, count, queryPe, keyPe, weights, index === 0, persam?.attnSim ?? null)
  })
  const q = t ? addRow(add(state.queries, queryPe), t) : add(state.queries, queryPe)
  const attnOut = attention(q, count, add(state.keys, keyPe), state.keys, CELLS, w.decoder.finalAttn)
  return { hs: layerNorm(add(state.queries, attnOut), count, w.decoder.normFinal, LAYER_NORM_EPS), keys: state.keys }
}

/** [4, 256, 256] low-res logits and the 4 IoU predictions from hs and the image stream. */
function maskHead(w: ReplicaWeights, hs: Matrix, keys: Matrix): { lowRes: Matrix; iou: Matrix } {
  // src.transpose(1, 2).view(b, c, h, w), then the upscaling stack.
  let image = new Float64Array(EMBED * CELLS)
  for (let p = 0; p < CELLS; p++) for (let c = 0; c < EMBED; c++) image[c * CELLS + p] = keys[p * EMBED + c]!
  const up = w.decoder.upscaling
  let size = GRID
  ;({ out: image, size } = convTransposeStrided(image, size, up.convT0))
  image = gelu(layerNorm2d(image, up.convT0.outputs, size * size, up.norm1, LAYER_NORM_2D_EPS))
  ;({ out: image, size } = convTransposeStrided(image, size, up.convT3))
  image = gelu(image)
  const channels = up.convT3.outputs
  const pixels = size * size

  const lowRes = new Float64Array(MASK_TOKENS * pixels)
  for (let m = 0; m < MASK_TOKENS; m++) {
    const hyper = mlp(hs.subarray((1 + m) * EMBED, (2 + m) * EMBED), 1, w.decoder.hypernetworks[m]!)
    for (let p = 0; p < pixels; p++) {
      let sum = 0
      for (let c = 0; c < channels; c++) sum += hyper[c]! * image[c * pixels + p]!
      lowRes[m * pixels + p] = sum
    }
  }
  return { lowRes, iou: mlp(hs.subarray(0, EMBED), 1, w.decoder.iouHead) }
}

/** The export's mask_postprocessing, with its float32 arithmetic for the crop size. */
function postprocess(lowRes: Matrix, origImSize: readonly [number, number]): Matrix {
  const [height, width] = origImSize
  const f32 = Math.fround
  const scale = f32(f32(1 / Math.max(height, width)) * CANVAS)
  const cropH = Math.floor(f32(f32(scale * height) + 0.5))
  const cropW = Math.floor(f32(f32(scale * width) + 0.5))
  const masks = new Float64Array(MASK_TOKENS * height * width)
  for (let m = 0; m < MASK_TOKENS; m++) {
    const canvas = resizeBilinear(lowRes.subarray(m * LOW_RES * LOW_RES, (m + 1) * LOW_RES * LOW_RES), LOW_RES, LOW_RES, CANVAS, CANVAS)
    const cropped = new Float64Array(cropH * cropW)
    for (let y = 0; y < cropH; y++) cropped.set(canvas.subarray(y * CANVAS, y * CANVAS + cropW), y * cropW)
    masks.set(resizeBilinear(cropped, cropW, cropH, width, height), m * height * width)
  }
  return masks
}

/** The decoder's three outputs for one prompt; `persam` switches on PerSAM's changes. */
export function replicaForward(w: ReplicaWeights, embeddings: ArrayLike<number>, prompt: ReplicaPrompt, persam: PersamDecoderInputs | null = null): ReplicaOutputs {
  const sparse = sparseEmbedding(w, prompt)
  const count = 1 + MASK_TOKENS + prompt.labels.length
  const tokens = new Float64Array(count * EMBED)
  tokens.set(w.decoder.iouToken, 0)
  tokens.set(w.decoder.maskTokens, EMBED)
  tokens.set(sparse, (1 + MASK_TOKENS) * EMBED)
  const { hs, keys } = transformer(w, tokens, count, keysFromImage(w, embeddings, prompt), persam)
  const { lowRes, iou } = maskHead(w, hs, keys)
  return { masks: postprocess(lowRes, prompt.origImSize), iouPredictions: iou, lowResMasks: lowRes }
}
