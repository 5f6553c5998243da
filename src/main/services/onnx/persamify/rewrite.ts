/**
 * Applies PerSAM's decoder changes (docs/sam-onnx-io.md, "The PerSAM decoder") to a located official-export graph:
 *
 * - new inputs attn_sim [1,1,1,4096] and target_embedding [1,1,256];
 * - tokens + t replaces the tokens everywhere (the queries of layer 0 and the query PE, P);
 * - layer 1 reads layer 0's queries + t (and, where the exporter shared layer 0's
 *   `queries + query_pe`, a fresh (queries + t) + P);
 * - the final attention's query input gets one more + t (its residual keeps the plain queries);
 * - in both token-to-image attentions, A' = softmax(A + attn_sim) replaces A, gated so that an
 *   all-zero attn_sim keeps A (the engine feeds the sigmoid of a z-score, never exactly zero).
 *
 * With target_embedding = 0 and attn_sim = 0 the graph computes exactly what it did before.
 */
import onnxProto, { type onnx as Onnx } from 'onnx-proto'
import { SAM_FEATURES, SAM_GRID } from '../../../../common/sam/geometry'
import type { Node, Use } from './graphIndex'
import type { PersamAnchors } from './locate'

const { onnx } = onnxProto

export const ATTN_SIM_INPUT = 'attn_sim'
export const TARGET_EMBEDDING_INPUT = 'target_embedding'
const PREFIX = '/persam'

export interface Rewiring {
  readonly node: string
  readonly inputIndex: number
  readonly from: string
  readonly to: string
}

export interface RewriteSummary {
  readonly inserted: readonly string[]
  readonly rewired: readonly Rewiring[]
}

function floatInput(name: string, dims: readonly number[]): Onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map((dimValue) => ({ dimValue })) } } } }
}

const ready = (node: Node, available: ReadonlySet<string>) => (node.input ?? []).every((input) => !input || available.has(input))

/**
 * The original nodes in their order, each new node placed as early as its inputs allow (so right
 * after the value it modifies); falls back to a full topological sort for unsorted graphs.
 */
function placeNodes(original: readonly Node[], added: readonly Node[], graphValues: ReadonlySet<string>): Node[] {
  const available = new Set(graphValues)
  const pending = [...added]
  const ordered: Node[] = []
  const emit = (node: Node) => {
    ordered.push(node)
    for (const output of node.output ?? []) if (output) available.add(output)
  }
  const flush = () => {
    for (let i = 0; i < pending.length; ) {
      if (ready(pending[i]!, available)) {
        emit(pending.splice(i, 1)[0]!)
        i = 0
      } else i++
    }
  }
  flush()
  let sorted = true
  for (const node of original) {
    sorted &&= ready(node, available)
    emit(node)
    flush()
  }
  if (sorted && pending.length === 0) return ordered

  const remaining = [...original, ...added]
  const done = new Set(graphValues)
  const result: Node[] = []
  while (remaining.length > 0) {
    const index = remaining.findIndex((node) => ready(node, done))
    if (index < 0) throw new Error(`the graph has a cycle or reads undefined values (${remaining[0]?.name ?? '?'})`)
    const [node] = remaining.splice(index, 1)
    result.push(node!)
    for (const output of node!.output ?? []) if (output) done.add(output)
  }
  return result
}

export function applyPersamRewrite(model: Onnx.IModelProto, anchors: PersamAnchors): RewriteSummary {
  const graph = model.graph!
  const taken = new Set<string>([...(graph.node ?? []).flatMap((node) => [node.name ?? '', ...(node.output ?? [])]), ...(graph.initializer ?? []).map((i) => i.name ?? ''), ...(graph.input ?? []).map((i) => i.name ?? '')])
  const added: Node[] = []
  const inserted: string[] = []
  const rewired: Rewiring[] = []

  const node = (opType: string, name: string, inputs: string[], attribute: Onnx.IAttributeProto[] = []): string => {
    const full = `${PREFIX}/${name}`
    const output = `${full}_output_0`
    if (taken.has(full) || taken.has(output)) throw new Error(`the graph already has a node or value named ${full}`)
    taken.add(full)
    taken.add(output)
    added.push({ name: full, opType, domain: '', input: inputs, output: [output], attribute })
    inserted.push(full)
    return output
  }
  const rewire = (uses: readonly Use[], from: string, to: string) => {
    for (const use of uses) {
      use.node.input![use.inputIndex] = to
      rewired.push({ node: use.node.name ?? '?', inputIndex: use.inputIndex, from, to })
    }
  }
  // Uses are captured before any rewiring, so the new nodes' own inputs are never redirected.
  const tokenUses = (graph.node ?? []).flatMap((candidate) =>
    (candidate.input ?? []).flatMap((input, inputIndex) => (input === anchors.tokens ? [{ node: candidate, inputIndex }] : [])),
  )

  graph.input = [...(graph.input ?? []), floatInput(ATTN_SIM_INPUT, [1, 1, 1, SAM_GRID * SAM_GRID]), floatInput(TARGET_EMBEDDING_INPUT, [1, 1, SAM_FEATURES])]
  const zero = `${PREFIX}/zero`
  graph.initializer = [...(graph.initializer ?? []), { name: zero, dataType: onnx.TensorProto.DataType.FLOAT, dims: [], rawData: new Uint8Array(4) }]

  // P = Q0 = tokens + t
  const tokensWithTarget = node('Add', 'tokens_plus_target', [anchors.tokens, TARGET_EMBEDDING_INPUT])
  rewire(tokenUses, anchors.tokens, tokensWithTarget)

  // Q1 = layer-0 queries + t, for layer 1 only (layer 0's image-to-token attention keeps them as they are).
  const layer1Queries = node('Add', 'layers.1/queries_plus_target', [anchors.layer0Queries, TARGET_EMBEDDING_INPUT])
  rewire(anchors.layer0QueriesLayer1Uses, anchors.layer0Queries, layer1Queries)
  anchors.sharedQuerySums.forEach((sum, i) => {
    const fresh = node('Add', `layers.1/queries_plus_pe${i === 0 ? '' : `_${i}`}`, [layer1Queries, tokensWithTarget])
    rewire(sum.layer1Uses, sum.value, fresh)
  })

  // Final attention: q = queries + P + t; the residual is untouched.
  const finalQuery = node('Add', 'final_attn_token_to_image/query_plus_target', [anchors.finalQuery, TARGET_EMBEDDING_INPUT])
  rewire(anchors.finalQueryUses, anchors.finalQuery, finalQuery)

  // Target-guided attention, on only when attn_sim is not all zeros.
  const absMax = node('ReduceMax', 'attn_sim_gate/ReduceMax', [node('Abs', 'attn_sim_gate/Abs', [ATTN_SIM_INPUT])], [{ name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 }])
  const gate = node('Not', 'attn_sim_gate/Not', [node('Equal', 'attn_sim_gate/Equal', [absMax, zero])])
  for (const softmax of anchors.softmaxes) {
    const scope = `layers.${softmax.layer}/cross_attn_token_to_image`
    const probabilities = softmax.node.output![0]!
    const guided = node('Add', `${scope}/Add_attn_sim`, [probabilities, ATTN_SIM_INPUT])
    const renormalised = node('Softmax', `${scope}/Softmax`, [guided], [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: -1 }])
    rewire(softmax.uses, probabilities, node('Where', `${scope}/Where`, [gate, renormalised, probabilities]))
  }

  const available = new Set([...(graph.input ?? []).map((input) => input.name ?? ''), ...(graph.initializer ?? []).map((initializer) => initializer.name ?? '')])
  graph.node = placeNodes(graph.node ?? [], added, available)
  return { inserted, rewired }
}
