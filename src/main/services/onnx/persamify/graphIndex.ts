/**
 * Producers, consumers and module scopes of an ONNX graph. torch.onnx.export (torch >= 1.13)
 * names every node after the module that produced it, e.g.
 * `/transformer/layers.0/cross_attn_token_to_image/Softmax`: the segments before the operator
 * part are its scope, and a module's inputs and outputs are the values crossing its scope's edge.
 */
import type { onnx as Onnx } from 'onnx-proto'

export type Node = Onnx.INodeProto

export interface Use {
  readonly node: Node
  readonly inputIndex: number
}

/** The module path of a node: its name's '/'-separated segments without the operator part. */
export function scopeOf(node: Node): readonly string[] {
  const segments = (node.name ?? '').split('/').filter((segment) => segment.length > 0)
  return segments.slice(0, -1)
}

/** True when `path` occurs as consecutive segments of the node's scope (any prefix allowed). */
export function inScope(node: Node, path: readonly string[]): boolean {
  const scope = scopeOf(node)
  for (let start = 0; start + path.length <= scope.length; start++) {
    if (path.every((segment, i) => scope[start + i] === segment)) return true
  }
  return false
}

export class GraphIndex {
  private readonly producers = new Map<string, Node>()
  private readonly uses = new Map<string, Use[]>()
  private readonly constants = new Set<string>()
  readonly graphInputs: ReadonlySet<string>
  readonly graphOutputs: ReadonlySet<string>

  constructor(readonly graph: Onnx.IGraphProto) {
    for (const initializer of graph.initializer ?? []) if (initializer.name) this.constants.add(initializer.name)
    for (const node of graph.node ?? []) {
      for (const output of node.output ?? []) if (output) this.producers.set(output, node)
      if (node.opType === 'Constant') for (const output of node.output ?? []) this.constants.add(output)
      ;(node.input ?? []).forEach((input, inputIndex) => {
        if (!input) return
        const list = this.uses.get(input) ?? []
        list.push({ node, inputIndex })
        this.uses.set(input, list)
      })
    }
    this.graphInputs = new Set((graph.input ?? []).map((input) => input.name ?? ''))
    this.graphOutputs = new Set((graph.output ?? []).map((output) => output.name ?? ''))
  }

  get nodes(): readonly Node[] {
    return this.graph.node ?? []
  }

  producer(value: string): Node | null {
    return this.producers.get(value) ?? null
  }

  consumers(value: string): readonly Use[] {
    return this.uses.get(value) ?? []
  }

  /** An initializer or a Constant node's output. */
  isConstant(value: string): boolean {
    return this.constants.has(value)
  }

  nodesIn(path: readonly string[]): Node[] {
    return this.nodes.filter((node) => inScope(node, path))
  }

  /** Non-constant values read inside the scope and produced outside it (graph inputs included), in first-use order. */
  moduleInputs(path: readonly string[]): string[] {
    const inputs: string[] = []
    for (const node of this.nodesIn(path)) {
      for (const input of node.input ?? []) {
        if (!input || this.isConstant(input) || inputs.includes(input)) continue
        const producer = this.producer(input)
        if (!producer || !inScope(producer, path)) inputs.push(input)
      }
    }
    return inputs
  }

  /** Values produced inside the scope and read outside it (or graph outputs). */
  moduleOutputs(path: readonly string[]): string[] {
    const outputs: string[] = []
    for (const node of this.nodesIn(path)) {
      for (const output of node.output ?? []) {
        if (!output) continue
        const external = this.consumers(output).some((use) => !inScope(use.node, path)) || this.graphOutputs.has(output)
        if (external) outputs.push(output)
      }
    }
    return outputs
  }

  /** Every value computed, directly or not, from `value` (not including it). */
  downstream(value: string): Set<string> {
    const seen = new Set<string>()
    const stack = [value]
    while (stack.length > 0) {
      for (const use of this.consumers(stack.pop()!)) {
        for (const output of use.node.output ?? []) {
          if (output && !seen.has(output)) {
            seen.add(output)
            stack.push(output)
          }
        }
      }
    }
    return seen
  }
}
