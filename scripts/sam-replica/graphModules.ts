/**
 * The decoder's building blocks as the TorchScript exporter writes them (op for op, in export
 * order): nn.Linear on 3-D input (MatMul with the folded transposed weight, then bias Add),
 * nn.Linear on 2-D input (Gemm), nn.LayerNorm (LayerNormalization), SAM's LayerNorm2d
 * (decomposed), exact GELU (Erf), and SAM's Attention with its dynamic head split.
 */
import { attr } from '../../src/main/services/onnx/graphBuilder'
import { EMBED, LAYER_NORM_2D_EPS, LAYER_NORM_EPS } from './config'
import { transpose2d, type TorchGraph } from './torchGraph'
import type { AttentionWeights, Conv, Linear, Norm } from './weights'

/** nn.Linear applied to [B, N, C]: `<scope>/MatMul` with W^T folded, then `<scope>/Add(bias, .)`. */
export function linear3d(t: TorchGraph, x: string, linear: Linear, paramName: string): string {
  const weight = t.folded('MatMul', [linear.inputs, linear.outputs], transpose2d(linear.weight, linear.outputs, linear.inputs))
  const product = t.op('MatMul', [x, weight])
  return t.op('Add', [t.param(`${paramName}.bias`, [linear.outputs], linear.bias), product])
}

/** nn.Linear applied to [B, C]: Gemm(x, W, b, transB=1). */
export function gemm(t: TorchGraph, x: string, linear: Linear, paramName: string, output?: string): string {
  const weight = t.param(`${paramName}.weight`, [linear.outputs, linear.inputs], linear.weight)
  const bias = t.param(`${paramName}.bias`, [linear.outputs], linear.bias)
  return t.op('Gemm', [x, weight, bias], { alpha: attr.float(1), beta: attr.float(1), transB: attr.int(1) }, output)
}

/** SAM's MLP (Linear, ReLU, ..., Linear) on [B, C]; the ReLUs sit in the MLP's own scope. */
export function mlp2d(t: TorchGraph, x: string, layers: readonly Linear[], paramName: string, output?: string): string {
  let value = x
  layers.forEach((layer, i) => {
    const last = i === layers.length - 1
    value = t.within(`layers.${i}`, () => gemm(t, value, layer, `${paramName}.layers.${i}`, last ? output : undefined))
    if (!last) value = t.op('Relu', [value])
  })
  return value
}

export function layerNorm(t: TorchGraph, x: string, norm: Norm, paramName: string): string {
  const weight = t.param(`${paramName}.weight`, [EMBED], norm.weight)
  const bias = t.param(`${paramName}.bias`, [EMBED], norm.bias)
  return t.op('LayerNormalization', [x, weight, bias], { axis: attr.int(-1), epsilon: attr.float(LAYER_NORM_EPS) })
}

/** SAM's LayerNorm2d over the channel axis of [B, C, H, W], decomposed as exported. */
export function layerNorm2d(t: TorchGraph, x: string, norm: Norm): string {
  const channels = norm.weight.length
  const reduce = (value: string) => t.op('ReduceMean', [value], { axes: attr.ints([1]), keepdims: attr.int(1) })
  const centred = t.op('Sub', [x, reduce(x)])
  const variance = reduce(t.op('Pow', [centred, t.float(2)]))
  const normalised = t.op('Div', [centred, t.op('Sqrt', [t.op('Add', [variance, t.float(LAYER_NORM_2D_EPS)])])])
  const scaled = t.op('Mul', [t.folded('Mul', [channels, 1, 1], norm.weight), normalised])
  return t.op('Add', [scaled, t.folded('Add', [channels, 1, 1], norm.bias)])
}

/** nn.GELU() (exact): x * (1 + erf(x / sqrt 2)) * 0.5. */
export function gelu(t: TorchGraph, x: string): string {
  const erf = t.op('Erf', [t.op('Div', [x, t.float(Math.SQRT2)])])
  return t.op('Mul', [t.op('Mul', [x, t.op('Add', [erf, t.float(1)])]), t.float(0.5)])
}

export function conv(t: TorchGraph, x: string, weights: Conv, paramName: string, transposed: boolean): string {
  const k = weights.kernel
  const dims = transposed ? [weights.inputs, weights.outputs, k, k] : [weights.outputs, weights.inputs, k, k]
  const weight = t.param(`${paramName}.weight`, dims, weights.weight)
  const bias = t.param(`${paramName}.bias`, [weights.outputs], weights.bias)
  return t.op(transposed ? 'ConvTranspose' : 'Conv', [x, weight, bias], {
    dilations: attr.ints([1, 1]),
    group: attr.int(1),
    kernel_shape: attr.ints([k, k]),
    pads: attr.ints([0, 0, 0, 0]),
    strides: attr.ints([k, k]),
  })
}

/** `x.reshape(b, n, heads, c // heads)` with b, n, c read from the shape at run time. */
function separateHeads(t: TorchGraph, x: string, heads: number): string {
  const dim = (index: number) => t.op('Gather', [t.op('Shape', [x]), t.int64(index)], { axis: attr.int(0) })
  const batch = dim(0)
  const tokens = dim(1)
  const channels = dim(2)
  const perHead = t.op('Cast', [t.op('Cast', [t.op('Div', [channels, t.int64(heads)])], { to: attr.int(7) })], { to: attr.int(7) })
  const batchAxis = t.unsqueezeScalar(batch)
  const tokenAxis = t.unsqueezeScalar(tokens)
  const headAxis = t.int64s([heads])
  const shape = t.op('Concat', [batchAxis, tokenAxis, headAxis, t.unsqueezeScalar(perHead)], { axis: attr.int(0) })
  return t.op('Reshape', [x, shape], { allowzero: attr.int(0) })
}

/** SAM's Attention(q, k, v) inside the current scope (the module's name). */
export function attention(t: TorchGraph, q: string, k: string, v: string, weights: AttentionWeights, paramName: string): string {
  const qProj = t.within('q_proj', () => linear3d(t, q, weights.q, `${paramName}.q_proj`))
  const kProj = t.within('k_proj', () => linear3d(t, k, weights.k, `${paramName}.k_proj`))
  const vProj = t.within('v_proj', () => linear3d(t, v, weights.v, `${paramName}.v_proj`))
  const perm = (value: string, order: number[]) => t.op('Transpose', [value], { perm: attr.ints(order) })
  const qHeads = perm(separateHeads(t, qProj, weights.heads), [0, 2, 1, 3])
  const kHeads = separateHeads(t, kProj, weights.heads)
  const vHeads = perm(separateHeads(t, vProj, weights.heads), [0, 2, 1, 3])
  const kTransposed = perm(kHeads, [0, 2, 3, 1])
  const scores = t.op('Div', [t.op('MatMul', [qHeads, kTransposed]), t.float(Math.sqrt(weights.internal / weights.heads))])
  const probabilities = t.op('Softmax', [scores], { axis: attr.int(-1) })
  const out = t.op('MatMul', [probabilities, vHeads])

  // _recombine_heads: [b, heads, n, c] -> [b, n, heads * c]
  const dim = (index: number) => t.op('Gather', [t.op('Shape', [out]), t.int64(index)], { axis: attr.int(0) })
  const batch = dim(0)
  const heads = dim(1)
  const tokens = dim(2)
  const perHead = dim(3)
  const swapped = perm(out, [0, 2, 1, 3])
  const width = t.op('Mul', [heads, perHead])
  const shape = t.op('Concat', [t.unsqueezeScalar(batch), t.unsqueezeScalar(tokens), t.unsqueezeScalar(width)], { axis: attr.int(0) })
  const recombined = t.op('Reshape', [swapped, shape], { allowzero: attr.int(0) })
  return t.within('out_proj', () => linear3d(t, recombined, weights.out, `${paramName}.out_proj`))
}
