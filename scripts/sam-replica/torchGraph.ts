/**
 * A GraphBuilder front end that names nodes and values the way torch.onnx.export (TorchScript
 * exporter, torch >= 1.13) does: `/<module scope>/<OpType>[_k]` for nodes, `<node>_output_0` for
 * their outputs, scoped `Constant` nodes for literals, `Constant_<n>` / `onnx::<Op>_<n>` for the
 * exporter's own helper constants and folded parameters, and state-dict names for parameters.
 */
import { attr, type AttributeValue, type GraphBuilder, type TensorData, type TensorValue } from '../../src/main/services/onnx/graphBuilder'

export class TorchGraph {
  private readonly scopes: string[] = []
  private readonly counts = new Map<string, number>()
  private helperNodes = 0
  private helperValues = 0

  constructor(readonly g: GraphBuilder) {}

  /** Runs `body` inside the module scope `segment` (e.g. 'transformer', 'layers.0', 'q_proj'). */
  within<T>(segment: string, body: () => T): T {
    this.scopes.push(segment)
    try {
      return body()
    } finally {
      this.scopes.pop()
    }
  }

  private nodeName(opType: string): string {
    const base = `/${this.scopes.map((scope) => `${scope}/`).join('')}${opType}`
    const count = this.counts.get(base) ?? 0
    this.counts.set(base, count + 1)
    return count === 0 ? base : `${base}_${count}`
  }

  /** One node with one output named `<node>_output_0`, or `output` when given (graph outputs). */
  op(opType: string, inputs: readonly string[], attributes: Record<string, AttributeValue> = {}, output?: string): string {
    const name = this.nodeName(opType)
    const [value] = this.g.nodeOutputs(opType, inputs, { name, outputs: [output ?? `${name}_output_0`], attributes })
    return value!
  }

  /** A scoped literal: `/<scope>/Constant[_k]`. */
  constant(value: TensorValue): string {
    return this.op('Constant', [], { value: attr.tensor(value) })
  }

  int64(value: number): string {
    return this.constant({ type: 'int64', dims: [], data: BigInt64Array.of(BigInt(value)) })
  }

  int64s(values: readonly number[]): string {
    return this.constant({ type: 'int64', dims: [values.length], data: BigInt64Array.from(values, BigInt) })
  }

  float(value: number): string {
    return this.constant({ type: 'float32', dims: [], data: Float32Array.of(value) })
  }

  /** A constant the exporter made itself (e.g. Unsqueeze axes): node `Constant_<n>`, value `onnx::<hint>_<m>`. */
  helperConstant(hint: string, value: TensorValue): string {
    const output = `onnx::${hint}_${++this.helperValues}`
    this.g.nodeOutputs('Constant', [], { name: `Constant_${++this.helperNodes}`, outputs: [output], attributes: { value: attr.tensor(value) } })
    return output
  }

  /** A parameter under its state-dict name. */
  param(name: string, dims: readonly number[], data: TensorData): string {
    return this.g.initializer(name, data instanceof BigInt64Array ? 'int64' : 'float32', dims, data)
  }

  /** A parameter the exporter transformed by constant folding (transposed weights, broadcast shapes). */
  folded(hint: string, dims: readonly number[], data: Float32Array): string {
    return this.g.initializer(`onnx::${hint}_${++this.helperValues}`, 'float32', dims, data)
  }

  /** `x.unsqueeze(0)` on a shape scalar, as the exporter emits it (helper axes constant). */
  unsqueezeScalar(x: string): string {
    return this.op('Unsqueeze', [x, this.helperConstant('Unsqueeze', { type: 'int64', dims: [1], data: BigInt64Array.of(0n) })])
  }
}

export function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length)
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!
  return out
}
