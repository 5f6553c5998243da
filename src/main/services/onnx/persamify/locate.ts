/**
 * Finds, by module scope and structure, the places where PerSAM changes SAM's mask decoder
 * (docs/sam-onnx-io.md, "The PerSAM decoder") in an official-export graph, or lists what it could not find.
 * Nothing here depends on node indices or on the widths of the layers.
 */
import { OFFICIAL_DECODER_INPUTS, OFFICIAL_DECODER_OUTPUTS } from '../../../../common/sam/flavour'
import { inScope, type GraphIndex, type Node, type Use } from './graphIndex'

export const PERSAM_LAYERS = [0, 1] as const

export interface GuidedSoftmax {
  readonly layer: number
  readonly node: Node
  /** The softmax output's consumers (the attention's MatMul with V). */
  readonly uses: readonly Use[]
}

/** `queries + query_pe` computed once by the exporter for layer 0 and read again by layer 1 (torch's CSE). */
export interface SharedQuerySum {
  readonly value: string
  readonly layer1Uses: readonly Use[]
}

export interface PersamAnchors {
  /** concat(output tokens, sparse prompt embeddings): the queries and the query PE. */
  readonly tokens: string
  /** Layer 0's output queries (its norm3) and their consumers inside layer 1. */
  readonly layer0Queries: string
  readonly layer0QueriesLayer1Uses: readonly Use[]
  readonly sharedQuerySums: readonly SharedQuerySum[]
  /** The final attention's query input (queries + point_embedding) and its uses inside q_proj. */
  readonly finalQuery: string
  readonly finalQueryUses: readonly Use[]
  readonly softmaxes: readonly GuidedSoftmax[]
}

const T = 'transformer'
const layer = (index: number) => [T, `layers.${index}`]
const QUANTIZED_OPS = new Set(['DynamicQuantizeLinear', 'MatMulInteger', 'QLinearMatMul', 'QuantizeLinear', 'DequantizeLinear', 'ConvInteger', 'QLinearConv'])

function attributeInt(node: Node, name: string): number | null {
  const attribute = node.attribute?.find((candidate) => candidate.name === name)
  return attribute ? Number(attribute.i ?? 0) : null
}

/** The one value produced by the module at `path` and read outside it, or null. */
function singleOutput(index: GraphIndex, path: readonly string[]): string | null {
  const outputs = index.moduleOutputs(path)
  return outputs.length === 1 ? outputs[0]! : null
}

function singleInput(index: GraphIndex, path: readonly string[]): string | null {
  const inputs = index.moduleInputs(path)
  return inputs.length === 1 ? inputs[0]! : null
}

function isAddOf(node: Node | null, a: string, b: string): boolean {
  if (!node || node.opType !== 'Add' || node.input?.length !== 2) return false
  const [x, y] = node.input
  return (x === a && y === b) || (x === b && y === a)
}

function findSoftmax(index: GraphIndex, layerIndex: number, missing: string[]): GuidedSoftmax | null {
  const path = [...layer(layerIndex), 'cross_attn_token_to_image']
  const where = `${path.join('/')}/Softmax`
  const candidates = index.nodesIn(path).filter((node) => node.opType === 'Softmax')
  if (candidates.length !== 1) {
    missing.push(`${where} (the token-to-image attention's softmax; found ${candidates.length})`)
    return null
  }
  const node = candidates[0]!
  const axis = attributeInt(node, 'axis')
  if (axis !== -1 && axis !== 3) {
    missing.push(`${where} over the key axis (axis=-1; it has axis=${axis ?? 'default'})`)
    return null
  }
  const uses = index.consumers(node.output?.[0] ?? '')
  if (uses.length === 0 || uses.some((use) => use.node.opType !== 'MatMul' || !inScope(use.node, path))) {
    missing.push(`${where} feeding the attention's MatMul with V`)
    return null
  }
  return { layer: layerIndex, node, uses }
}

function findTokens(index: GraphIndex, missing: string[]): string | null {
  const selfAttn = [...layer(0), 'self_attn']
  const tokens = singleInput(index, [...selfAttn, 'q_proj'])
  const producer = tokens ? index.producer(tokens) : null
  if (!tokens || producer?.opType !== 'Concat') {
    missing.push(`the tokens Concat (output tokens + prompt embeddings) read by ${selfAttn.join('/')}/q_proj`)
    return null
  }
  const sameForKV = ['k_proj', 'v_proj'].every((projection) => singleInput(index, [...selfAttn, projection]) === tokens)
  if (!sameForKV) {
    missing.push(`${selfAttn.join('/')} reading the tokens as q, k and v (skip_first_layer_pe)`)
    return null
  }
  return tokens
}

/**
 * Layer 1 must read layer 0's queries only directly, as `queries + query_pe` shared with layer 0,
 * or through layer 0's keys (norm4); anything else computed from them is a structure the
 * converter does not know how to give the target embedding to.
 */
function layer1Reads(index: GraphIndex, tokens: string, queries: string, missing: string[]): { direct: Use[]; shared: SharedQuerySum[] } | null {
  const layer1 = layer(1)
  const direct = index.consumers(queries).filter((use) => inScope(use.node, layer1))
  const shared: SharedQuerySum[] = []
  for (const use of index.consumers(queries)) {
    const value = use.node.output?.[0]
    if (inScope(use.node, layer1) || !value || !isAddOf(use.node, queries, tokens)) continue
    const layer1Uses = index.consumers(value).filter((candidate) => inScope(candidate.node, layer1))
    if (layer1Uses.length > 0) shared.push({ value, layer1Uses })
  }
  const keys = singleOutput(index, [...layer(0), 'norm4'])
  if (!keys) {
    missing.push(`${layer(0).join('/')}/norm4 (layer 0's output keys)`)
    return null
  }
  const fromQueries = index.downstream(queries)
  const allowed = new Set([queries, keys, tokens, ...shared.map((sum) => sum.value)])
  const unexpected = index.moduleInputs(layer1).filter((input) => fromQueries.has(input) && !allowed.has(input))
  if (unexpected.length > 0) {
    missing.push(`${layer1.join('/')} reading layer 0's queries only directly, as queries + query_pe, or through the keys (it also reads ${unexpected.join(', ')})`)
    return null
  }
  if (direct.length === 0 && shared.length === 0) {
    missing.push(`${layer1.join('/')} reading layer 0's queries`)
    return null
  }
  return { direct, shared }
}

export function locatePersamAnchors(index: GraphIndex): { anchors: PersamAnchors | null; missing: string[] } {
  const missing: string[] = []
  const inputs = [...index.graphInputs]
  const absentInputs = OFFICIAL_DECODER_INPUTS.filter((name) => !index.graphInputs.has(name))
  if (absentInputs.length > 0) missing.push(`the official decoder inputs ${absentInputs.join(', ')} (inputs: ${inputs.join(', ') || 'none'})`)
  const absentOutputs = OFFICIAL_DECODER_OUTPUTS.filter((name) => !index.graphOutputs.has(name))
  if (absentOutputs.length > 0) missing.push(`the official decoder outputs ${absentOutputs.join(', ')}`)
  const quantized = [...new Set(index.nodes.filter((node) => QUANTIZED_OPS.has(node.opType ?? '')).map((node) => node.opType))]
  if (quantized.length > 0) missing.push(`float32 attention weights (this decoder is quantized: ${quantized.join(', ')}); convert the float32 export`)
  if (index.nodesIn(layer(0)).length === 0) missing.push('module-scoped node names (/transformer/layers.0/...), as torch >= 1.13 exports them')
  if (index.nodesIn(layer(2)).length > 0) missing.push('a two-way transformer of exactly 2 layers (found transformer/layers.2)')

  const softmaxes = PERSAM_LAYERS.map((layerIndex) => findSoftmax(index, layerIndex, missing))
  const tokens = findTokens(index, missing)
  const layer0Queries = singleOutput(index, [...layer(0), 'norm3'])
  if (!layer0Queries) missing.push(`${layer(0).join('/')}/norm3 (layer 0's output queries)`)
  const layer1Queries = singleOutput(index, [...layer(1), 'norm3'])
  if (!layer1Queries) missing.push(`${layer(1).join('/')}/norm3 (layer 1's output queries)`)
  const reads = tokens && layer0Queries ? layer1Reads(index, tokens, layer0Queries, missing) : null

  const qProj = [T, 'final_attn_token_to_image', 'q_proj']
  const finalQuery = singleInput(index, qProj)
  const finalOk = finalQuery && tokens && layer1Queries && isAddOf(index.producer(finalQuery), layer1Queries, tokens)
  if (!finalOk) missing.push(`${qProj.join('/')} reading queries + point_embedding (layer 1's norm3 output plus the tokens)`)

  if (missing.length > 0 || !tokens || !layer0Queries || !reads || !finalQuery || softmaxes.some((softmax) => !softmax)) return { anchors: null, missing }
  return {
    anchors: {
      tokens,
      layer0Queries,
      layer0QueriesLayer1Uses: reads.direct,
      sharedQuerySums: reads.shared,
      finalQuery,
      finalQueryUses: index.consumers(finalQuery).filter((use) => inScope(use.node, qProj)),
      softmaxes: softmaxes as GuidedSoftmax[],
    },
    missing,
  }
}
