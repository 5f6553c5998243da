/**
 * MaskDecoder.predict_masks up to the transformer output, as exported: the output tokens
 * concatenated with the sparse prompt embeddings, the image embedding (plus the dense prompt
 * embedding) and positional encoding repeated per prompt batch, and the two-way transformer. The
 * exporter's common-subexpression elimination is reproduced: layer 1's self-attention reads
 * layer 0's `queries + query_pe` Add, and the final attention reads layer 1's.
 */
import { attr } from '../../src/main/services/onnx/graphBuilder'
import { EMBED, GRID, MASK_TOKENS } from './config'
import { attention, layerNorm, linear3d } from './graphModules'
import type { TorchGraph } from './torchGraph'
import type { BlockWeights, ReplicaWeights } from './weights'

const DECODER = 'mask_decoder'
const TRANSFORMER = `${DECODER}.transformer`

/** `x.expand(...)`/`repeat_interleave` shape plumbing: where(shape == -1, 1, shape). */
function expandShape(t: TorchGraph, shape: string, ones: string): string {
  const minusOne = t.op('Mul', [ones, t.int64(-1)])
  return t.op('Where', [t.op('Equal', [shape, minusOne]), ones, shape])
}

const ONE_TENSOR = { type: 'int64', dims: [1], data: BigInt64Array.of(1n) } as const

/** torch.repeat_interleave(x, repeats, dim=0) for a [1, 256, 64, 64] tensor, as the exporter spells it. */
function repeatInterleave(t: TorchGraph, x: string, repeats: string): string {
  const ones = t.int64s([1])
  const countShape = t.op('ConstantOfShape', [t.int64s([1])], { value: attr.tensor(ONE_TENSOR) })
  const minusOne = t.op('Mul', [countShape, t.int64(-1)])
  const counts = t.op('Expand', [repeats, t.op('Where', [t.op('Equal', [t.int64s([1]), minusOne]), countShape, ones])])
  const split = t.op('Split', [counts, t.int64s([1])], { axis: attr.int(0) })
  const chunk = t.op('Split', [x, t.int64s([1])], { axis: attr.int(0) })
  const unsqueezed = t.op('Unsqueeze', [chunk, t.int64s([1])])
  const target = t.op('Concat', [t.int64s([1]), split, t.int64s([EMBED, GRID, GRID])], { axis: attr.int(0) })
  const targetOnes = t.op('ConstantOfShape', [t.op('Shape', [target])], { value: attr.tensor(ONE_TENSOR) })
  const expanded = t.op('Expand', [unsqueezed, expandShape(t, target, targetOnes)])
  const reshaped = t.op('Reshape', [expanded, t.int64s([-1, EMBED, GRID, GRID])], { allowzero: attr.int(0) })
  return t.op('Concat', [reshaped], { axis: attr.int(0) })
}

export interface TransformerInputs {
  readonly tokens: string
  readonly src: string
  readonly posSrc: string
  /** b, c, h, w of src, read at run time. */
  readonly srcDims: readonly string[]
}

export function prepareTransformerInputs(t: TorchGraph, w: ReplicaWeights, imageEmbeddings: string, sparse: string, dense: string, densePe: string): TransformerInputs {
  // output_tokens.unsqueeze(0).expand(sparse.size(0), -1, -1), with the concatenated tokens folded.
  const batch = t.op('Gather', [t.op('Shape', [sparse]), t.int64(0)], { axis: attr.int(0) })
  const size = t.op('Concat', [t.op('Unsqueeze', [batch, t.int64s([0])]), t.int64s([-1]), t.int64s([-1])], { axis: attr.int(0) })
  const sizeVector = t.op('Reshape', [size, t.int64s([-1])], { allowzero: attr.int(0) })
  const sizeOnes = t.op('ConstantOfShape', [t.op('Shape', [sizeVector])], { value: attr.tensor(ONE_TENSOR) })
  const outputTokens = new Float32Array((1 + MASK_TOKENS) * EMBED)
  outputTokens.set(w.decoder.iouToken, 0)
  outputTokens.set(w.decoder.maskTokens, EMBED)
  const folded = t.folded('Expand', [1, 1 + MASK_TOKENS, EMBED], outputTokens)
  const expanded = t.op('Expand', [folded, expandShape(t, sizeVector, sizeOnes)])
  const tokens = t.op('Concat', [expanded, sparse], { axis: attr.int(1) })

  const repeats = t.op('Gather', [t.op('Shape', [tokens]), t.int64(0)], { axis: attr.int(0) })
  const src = t.op('Add', [repeatInterleave(t, imageEmbeddings, repeats), dense])
  const posSrc = repeatInterleave(t, densePe, repeats)
  const srcDims = [0, 1, 2, 3].map((index) => t.op('Gather', [t.op('Shape', [src]), t.int64(index)], { axis: attr.int(0) }))
  return { tokens, src, posSrc, srcDims }
}

/** x.flatten(2).permute(0, 2, 1) */
function flattenTokens(t: TorchGraph, x: string): string {
  const shape = t.op('Shape', [x])
  const axes = t.int64s([0])
  const starts = t.int64s([0])
  const ends = t.int64s([2])
  const leading = t.op('Slice', [shape, starts, ends, axes])
  const flatShape = t.op('Concat', [leading, t.int64s([-1])], { axis: attr.int(0) })
  return t.op('Transpose', [t.op('Reshape', [x, flatShape], { allowzero: attr.int(0) })], { perm: attr.ints([0, 2, 1]) })
}

interface BlockState {
  readonly queries: string
  readonly keys: string
  /** `queries + query_pe` computed by the previous block for its image-to-token attention (reused by CSE). */
  readonly queriesWithPe: string | null
}

function block(t: TorchGraph, state: BlockState, queryPe: string, keyPe: string, weights: BlockWeights, index: number): BlockState {
  const name = `${TRANSFORMER}.layers.${index}`
  return t.within(`layers.${index}`, () => {
    let queries: string
    if (index === 0) {
      queries = t.within('self_attn', () => attention(t, state.queries, state.queries, state.queries, weights.selfAttn, `${name}.self_attn`))
    } else {
      const q = state.queriesWithPe ?? t.op('Add', [state.queries, queryPe])
      const attnOut = t.within('self_attn', () => attention(t, q, q, state.queries, weights.selfAttn, `${name}.self_attn`))
      queries = t.op('Add', [state.queries, attnOut])
    }
    queries = t.within('norm1', () => layerNorm(t, queries, weights.norm1, `${name}.norm1`))

    const q = t.op('Add', [queries, queryPe])
    const k = t.op('Add', [state.keys, keyPe])
    const tokenToImage = t.within('cross_attn_token_to_image', () => attention(t, q, k, state.keys, weights.crossTokenToImage, `${name}.cross_attn_token_to_image`))
    const afterTokenToImage = t.op('Add', [queries, tokenToImage])
    queries = t.within('norm2', () => layerNorm(t, afterTokenToImage, weights.norm2, `${name}.norm2`))

    const mlpOut = t.within('mlp', () => {
      const hidden = t.within('lin1', () => linear3d(t, queries, weights.mlp.lin1, `${name}.mlp.lin1`))
      const activated = t.within('act', () => t.op('Relu', [hidden]))
      return t.within('lin2', () => linear3d(t, activated, weights.mlp.lin2, `${name}.mlp.lin2`))
    })
    const afterMlp = t.op('Add', [queries, mlpOut])
    const normed3 = t.within('norm3', () => layerNorm(t, afterMlp, weights.norm3, `${name}.norm3`))

    const queriesWithPe = t.op('Add', [normed3, queryPe])
    const imageToToken = t.within('cross_attn_image_to_token', () => attention(t, k, queriesWithPe, normed3, weights.crossImageToToken, `${name}.cross_attn_image_to_token`))
    const afterImageToToken = t.op('Add', [state.keys, imageToToken])
    const keys = t.within('norm4', () => layerNorm(t, afterImageToToken, weights.norm4, `${name}.norm4`))
    return { queries: normed3, keys, queriesWithPe }
  })
}

/** TwoWayTransformer(src, pos_src, tokens) -> [hs, src'] */
export function twoWayTransformer(t: TorchGraph, w: ReplicaWeights, inputs: TransformerInputs): { hs: string; keys: string } {
  return t.within('transformer', () => {
    const keys0 = flattenTokens(t, inputs.src)
    const keyPe = flattenTokens(t, inputs.posSrc)
    let state: BlockState = { queries: inputs.tokens, keys: keys0, queriesWithPe: null }
    w.decoder.layers.forEach((weights, index) => {
      state = block(t, state, inputs.tokens, keyPe, weights, index)
    })
    const q = state.queriesWithPe ?? t.op('Add', [state.queries, inputs.tokens])
    const k = t.op('Add', [state.keys, keyPe])
    const attnOut = t.within('final_attn_token_to_image', () => attention(t, q, k, state.keys, w.decoder.finalAttn, `${TRANSFORMER}.final_attn_token_to_image`))
    const afterFinal = t.op('Add', [state.queries, attnOut])
    const hs = t.within('norm_final_attn', () => layerNorm(t, afterFinal, w.decoder.normFinal, `${TRANSFORMER}.norm_final_attn`))
    return { hs, keys: state.keys }
  })
}
