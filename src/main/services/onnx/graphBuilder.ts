/**
 * A small builder for ONNX graphs written from TypeScript (protobuf via onnx-proto). Used by
 * `npm run gen:toy-model` and meant for any other generated test model (e.g. a structural replica
 * of the official SAM decoder). Output is byte-for-byte deterministic: no timestamps, nodes and
 * initializers in insertion order, auto-generated names from per-builder counters.
 */
import onnxProto, { type onnx as Onnx } from 'onnx-proto'

const { onnx } = onnxProto

export type ElementType = 'float32' | 'int64' | 'int32' | 'uint8' | 'bool'
/** A fixed size, or a symbolic name such as 'num_points'. */
export type Dim = number | string

const ELEMENT_TYPE_CODE: Record<ElementType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  uint8: onnx.TensorProto.DataType.UINT8,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
}

export type TensorData = Float32Array | Int32Array | BigInt64Array | Uint8Array

/** A tensor value, e.g. the `value` of a Constant node. */
export interface TensorValue {
  readonly type: ElementType
  readonly dims: readonly number[]
  readonly data: TensorData
}

export type AttributeValue =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'string'; value: string }
  | { kind: 'tensor'; value: TensorValue }

/** Attribute constructors: ONNX distinguishes int from float, JavaScript numbers do not. */
export const attr = {
  int: (value: number): AttributeValue => ({ kind: 'int', value }),
  float: (value: number): AttributeValue => ({ kind: 'float', value }),
  ints: (value: readonly number[]): AttributeValue => ({ kind: 'ints', value }),
  floats: (value: readonly number[]): AttributeValue => ({ kind: 'floats', value }),
  string: (value: string): AttributeValue => ({ kind: 'string', value }),
  tensor: (value: TensorValue): AttributeValue => ({ kind: 'tensor', value }),
}

export interface NodeOptions {
  /** Node name; defaults to `<opType>_<n>`. */
  readonly name?: string
  /** Output names, or how many auto-named outputs; defaults to one auto-named output. */
  readonly outputs?: readonly string[] | number
  readonly attributes?: Readonly<Record<string, AttributeValue>>
  readonly domain?: string
}

export interface ModelOptions {
  readonly opset?: number
  readonly irVersion?: number
  readonly producerName: string
  readonly producerVersion?: string
  readonly docString?: string
  readonly metadata?: Readonly<Record<string, string>>
}

function littleEndianBytes(data: TensorData): Uint8Array {
  // Typed arrays use the platform byte order; ONNX raw_data is little-endian. Copy via DataView.
  const out = new Uint8Array(data.byteLength)
  const view = new DataView(out.buffer)
  if (data instanceof Float32Array) data.forEach((v, i) => view.setFloat32(i * 4, v, true))
  else if (data instanceof Int32Array) data.forEach((v, i) => view.setInt32(i * 4, v, true))
  else if (data instanceof BigInt64Array) data.forEach((v, i) => view.setBigInt64(i * 8, v, true))
  else out.set(data)
  return out
}

function tensorProto(name: string, value: TensorValue): Onnx.ITensorProto {
  return { name, dims: [...value.dims], dataType: ELEMENT_TYPE_CODE[value.type], rawData: littleEndianBytes(value.data) }
}

function valueInfo(name: string, type: ElementType, dims: readonly Dim[]): Onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEMENT_TYPE_CODE[type],
        shape: { dim: dims.map((dim) => (typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim })) },
      },
    },
  }
}

function attributeProto(name: string, value: AttributeValue): Onnx.IAttributeProto {
  const types = onnx.AttributeProto.AttributeType
  switch (value.kind) {
    case 'int':
      return { name, type: types.INT, i: value.value }
    case 'float':
      return { name, type: types.FLOAT, f: value.value }
    case 'ints':
      return { name, type: types.INTS, ints: [...value.value] }
    case 'floats':
      return { name, type: types.FLOATS, floats: [...value.value] }
    case 'string':
      return { name, type: types.STRING, s: new TextEncoder().encode(value.value) }
    case 'tensor':
      return { name, type: types.TENSOR, t: tensorProto('', value.value) }
  }
}

export class GraphBuilder {
  private readonly nodes: Onnx.INodeProto[] = []
  private readonly initializers: Onnx.ITensorProto[] = []
  private readonly inputs: Onnx.IValueInfoProto[] = []
  private readonly outputs: Onnx.IValueInfoProto[] = []
  private readonly valueInfos: Onnx.IValueInfoProto[] = []
  private readonly usedNames = new Set<string>()
  private readonly counters = new Map<string, number>()

  constructor(private readonly graphName: string) {}

  /** A fresh name built from `hint` (`hint`, then `hint_1`, `hint_2`, ...). */
  uniqueName(hint: string): string {
    let name = hint
    while (this.usedNames.has(name)) {
      const next = (this.counters.get(hint) ?? 0) + 1
      this.counters.set(hint, next)
      name = `${hint}_${next}`
    }
    this.usedNames.add(name)
    return name
  }

  private claim(name: string): string {
    if (this.usedNames.has(name)) throw new Error(`graph ${this.graphName}: the name "${name}" is already used`)
    this.usedNames.add(name)
    return name
  }

  input(name: string, type: ElementType, dims: readonly Dim[]): string {
    this.inputs.push(valueInfo(this.claim(name), type, dims))
    return name
  }

  /** Declares `value` (an existing tensor name) a graph output, renaming it through Identity when needed. */
  output(name: string, value: string, type: ElementType, dims: readonly Dim[]): string {
    if (value !== name) this.node('Identity', [value], { outputs: [name], name: `${name}_output` })
    this.outputs.push(valueInfo(name, type, dims))
    return name
  }

  /** Optional shape annotation for an intermediate value (helps viewers and checkers). */
  annotate(name: string, type: ElementType, dims: readonly Dim[]): void {
    this.valueInfos.push(valueInfo(name, type, dims))
  }

  initializer(hint: string, type: ElementType, dims: readonly number[], data: TensorData): string {
    const expected = dims.reduce((product, dim) => product * dim, 1)
    if (data.length !== expected) {
      throw new Error(`graph ${this.graphName}: initializer ${hint} has ${data.length} values for dims [${dims.join(',')}]`)
    }
    const name = this.uniqueName(hint)
    this.initializers.push(tensorProto(name, { type, dims, data }))
    return name
  }

  /** A float32 constant; a bare number becomes a scalar. */
  float(hint: string, values: number | readonly number[], dims?: readonly number[]): string {
    const list = typeof values === 'number' ? [values] : values
    return this.initializer(hint, 'float32', dims ?? (typeof values === 'number' ? [] : [list.length]), Float32Array.from(list))
  }

  /** An int64 constant (shapes, axes, indices); a bare number becomes a scalar. */
  int64(hint: string, values: number | readonly number[], dims?: readonly number[]): string {
    const list = typeof values === 'number' ? [values] : values
    const data = BigInt64Array.from(list.map((value) => BigInt(value)))
    return this.initializer(hint, 'int64', dims ?? (typeof values === 'number' ? [] : [list.length]), data)
  }

  /** Adds a node and returns its output names. Pass '' for an omitted optional input. */
  nodeOutputs(opType: string, inputs: readonly string[], options: NodeOptions = {}): string[] {
    const name = options.name ? this.claim(options.name) : this.uniqueName(opType)
    const requested = options.outputs ?? 1
    const outputs =
      typeof requested === 'number'
        ? Array.from({ length: requested }, (_, i) => this.uniqueName(requested === 1 ? `${name}_out` : `${name}_out${i}`))
        : requested.map((output) => this.claim(output))
    const attributes = Object.entries(options.attributes ?? {}).map(([key, value]) => attributeProto(key, value))
    this.nodes.push({ name, opType, domain: options.domain ?? '', input: [...inputs], output: outputs, attribute: attributes })
    return outputs
  }

  /** Adds a single-output node and returns the output name. */
  node(opType: string, inputs: readonly string[], options: NodeOptions = {}): string {
    const [output] = this.nodeOutputs(opType, inputs, options)
    if (output === undefined) throw new Error(`graph ${this.graphName}: ${opType} node declared no output`)
    return output
  }

  build(options: ModelOptions): Onnx.ModelProto {
    return onnx.ModelProto.create({
      irVersion: options.irVersion ?? 8,
      opsetImport: [{ domain: '', version: options.opset ?? 17 }],
      producerName: options.producerName,
      producerVersion: options.producerVersion ?? '',
      docString: options.docString ?? '',
      metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: this.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
        valueInfo: this.valueInfos,
      },
    })
  }
}

export function encodeModel(model: Onnx.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish()
}

/** Parses ONNX bytes (for inspection in tests and tools); throws on malformed protobuf. */
export function decodeModel(bytes: Uint8Array): Onnx.ModelProto {
  return onnx.ModelProto.decode(bytes)
}
