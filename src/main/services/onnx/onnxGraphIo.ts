/**
 * Reads an ONNX model's graph inputs and outputs (names, element types, shapes) and its
 * external-data references without loading the model: the protobuf is walked field by field
 * with positional reads, so a 650 MB encoder costs a few hundred small reads, not 650 MB of
 * memory or a blocked event loop. Only the wire-format walk (tags, lengths) is done here; the
 * small messages that carry the answers are decoded with onnx-proto's generated schema. A file
 * cut short anywhere, or one that is not protobuf at all, is refused with the byte offset.
 */
import { open, type FileHandle } from 'node:fs/promises'
import onnxProto from 'onnx-proto'
import type { ModelIo, TensorInfo } from '../../../common/sam/flavour'

const { onnx } = onnxProto

export interface ExternalDataRef {
  readonly tensor: string
  /** Path relative to the model's folder, as stored in the model. */
  readonly location: string
  readonly offset: number
  /** null: to the end of the file. */
  readonly length: number | null
}

export interface OnnxGraphIo extends ModelIo {
  readonly irVersion: number | null
  readonly opsets: readonly { readonly domain: string; readonly version: number }[]
  readonly externalData: readonly ExternalDataRef[]
}

/** onnxruntime's names for ONNX TensorProto.DataType codes. */
const ELEMENT_TYPES: Record<number, string> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string',
  9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 16: 'bfloat16',
}

// Field numbers from onnx.proto3.
const MODEL = { irVersion: 1, graph: 7, opsetImport: 8 }
const GRAPH = { initializer: 5, input: 11, output: 12, sparseInitializer: 15 }
const TENSOR = { name: 8, externalData: 13 }
const SPARSE_TENSOR = { values: 1 }
/** Messages decoded whole must be small; a bigger one means a corrupt length. */
const MAX_SMALL_MESSAGE = 1 << 20

export class OnnxFormatError extends Error {}

interface Field {
  readonly number: number
  readonly wireType: number
  /** Varint value (wire type 0) or payload start (others). */
  readonly value: number
  readonly start: number
  readonly end: number
}

/**
 * Small enough that skipping a weight and reading the next field's header costs one small read,
 * large enough that runs of small fields (nodes, names) share one.
 */
const WINDOW_BYTES = 4096

/** A file read through a small window: consecutive small fields cost one read between them. */
class PositionalReader {
  private window = new Uint8Array(0)
  private windowStart = 0

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  private async fill(position: number): Promise<void> {
    const length = Math.min(WINDOW_BYTES, this.size - position)
    const buffer = new Uint8Array(length)
    const { bytesRead } = await this.handle.read(buffer, 0, length, position)
    this.window = buffer.subarray(0, bytesRead)
    this.windowStart = position
  }

  /** Makes [position, position + count) (clipped to the file) readable with `byteAt`. */
  async ensure(position: number, count: number): Promise<void> {
    const end = Math.min(position + count, this.size)
    if (position < this.windowStart || end > this.windowStart + this.window.length) await this.fill(position)
  }

  /** A byte made readable by `ensure`, or undefined past the end of the file. */
  byteAt(position: number): number | undefined {
    return position < this.size ? this.window[position - this.windowStart] : undefined
  }

  async bytes(start: number, end: number): Promise<Uint8Array> {
    if (start >= this.windowStart && end <= this.windowStart + this.window.length) return this.window.slice(start - this.windowStart, end - this.windowStart)
    const buffer = new Uint8Array(end - start)
    const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, start)
    if (bytesRead !== buffer.length) throw new OnnxFormatError(`could read only ${bytesRead} of ${buffer.length} bytes at byte ${start}`)
    return buffer
  }
}

async function readVarint(reader: PositionalReader, position: number, limit: number): Promise<{ value: number; next: number }> {
  await reader.ensure(position, 10)
  let value = 0
  let scale = 1
  for (let index = 0; index < 10; index++) {
    const at = position + index
    const byte = at < limit ? reader.byteAt(at) : undefined
    if (byte === undefined) throw new OnnxFormatError(`a number at byte ${position} runs past the end of its data`)
    value += (byte & 0x7f) * scale
    scale *= 128
    if ((byte & 0x80) === 0) return { value, next: at + 1 }
  }
  throw new OnnxFormatError(`malformed number at byte ${position}`)
}

/** Yields the fields of the message stored in [start, end). */
async function* fields(reader: PositionalReader, start: number, end: number, what: string): AsyncGenerator<Field> {
  let position = start
  while (position < end) {
    const tag = await readVarint(reader, position, end)
    const number = Math.floor(tag.value / 8)
    const wireType = tag.value % 8
    if (number === 0) throw new OnnxFormatError(`invalid protobuf in ${what} at byte ${position}`)
    let field: Field
    if (wireType === 0) {
      const varint = await readVarint(reader, tag.next, end)
      field = { number, wireType, value: varint.value, start: tag.next, end: varint.next }
    } else if (wireType === 2) {
      const length = await readVarint(reader, tag.next, end)
      field = { number, wireType, value: length.next, start: length.next, end: length.next + length.value }
    } else if (wireType === 1 || wireType === 5) {
      const size = wireType === 1 ? 8 : 4
      field = { number, wireType, value: tag.next, start: tag.next, end: tag.next + size }
    } else {
      throw new OnnxFormatError(`invalid protobuf in ${what} at byte ${position} (wire type ${wireType})`)
    }
    if (field.end > end) {
      throw new OnnxFormatError(`field ${number} of ${what} at byte ${position} runs past the end of ${end === reader.size ? 'the file' : 'its message'}`)
    }
    yield field
    position = field.end
  }
}

async function smallMessage(reader: PositionalReader, field: Field, what: string): Promise<Uint8Array> {
  if (field.wireType !== 2) throw new OnnxFormatError(`${what} at byte ${field.start} is not a message`)
  if (field.end - field.start > MAX_SMALL_MESSAGE) throw new OnnxFormatError(`${what} at byte ${field.start} is implausibly large`)
  return reader.bytes(field.start, field.end)
}

const toNumber = (value: unknown): number => (typeof value === 'number' ? value : Number(String(value)))

function tensorInfo(bytes: Uint8Array): TensorInfo {
  const value = onnx.ValueInfoProto.decode(bytes)
  const tensor = value.type?.tensorType
  if (!tensor) return { name: value.name }
  const shape = tensor.shape?.dim?.map((dim) => (dim.dimParam ? dim.dimParam : dim.dimValue !== null && dim.dimValue !== undefined ? toNumber(dim.dimValue) : '?'))
  const code = tensor.elemType ?? 0
  return { name: value.name, type: ELEMENT_TYPES[code] ?? `onnx-type-${code}`, ...(shape ? { shape } : {}) }
}

interface TensorHeader {
  name: string
  external: ExternalDataRef | null
}

/** A TensorProto's name and external-data reference, skipping its (possibly huge) data. */
async function tensorHeader(reader: PositionalReader, start: number, end: number): Promise<TensorHeader> {
  let name = ''
  const entries = new Map<string, string>()
  for await (const field of fields(reader, start, end, 'an initializer')) {
    if (field.number === TENSOR.name && field.wireType === 2) {
      name = new TextDecoder().decode(await smallMessage(reader, field, 'an initializer name'))
    } else if (field.number === TENSOR.externalData) {
      const entry = onnx.StringStringEntryProto.decode(await smallMessage(reader, field, 'external data'))
      entries.set(entry.key, entry.value)
    }
  }
  const location = entries.get('location')
  const length = entries.get('length')
  return {
    name,
    external: location === undefined ? null : { tensor: name, location, offset: Number(entries.get('offset') ?? 0), length: length === undefined ? null : Number(length) },
  }
}

async function readGraph(reader: PositionalReader, start: number, end: number) {
  const initializers = new Set<string>()
  const externalData: ExternalDataRef[] = []
  const inputs: TensorInfo[] = []
  const outputs: TensorInfo[] = []
  const addTensor = (header: TensorHeader) => {
    initializers.add(header.name)
    if (header.external) externalData.push(header.external)
  }
  for await (const field of fields(reader, start, end, 'the graph')) {
    if (field.number === GRAPH.initializer && field.wireType === 2) {
      addTensor(await tensorHeader(reader, field.start, field.end))
    } else if (field.number === GRAPH.sparseInitializer && field.wireType === 2) {
      for await (const part of fields(reader, field.start, field.end, 'a sparse initializer')) {
        if (part.number === SPARSE_TENSOR.values && part.wireType === 2) addTensor(await tensorHeader(reader, part.start, part.end))
      }
    } else if (field.number === GRAPH.input) {
      inputs.push(tensorInfo(await smallMessage(reader, field, 'a graph input')))
    } else if (field.number === GRAPH.output) {
      outputs.push(tensorInfo(await smallMessage(reader, field, 'a graph output')))
    }
  }
  // Before IR version 4 initializers were listed among the inputs; they are weights, not feeds.
  return { inputs: inputs.filter((input) => !initializers.has(input.name)), outputs, externalData }
}

/** The graph I/O of an ONNX file; throws OnnxFormatError with the byte offset for a damaged or foreign file. */
export async function readOnnxGraphIo(file: string): Promise<OnnxGraphIo> {
  const handle = await open(file, 'r')
  try {
    const reader = new PositionalReader(handle, (await handle.stat()).size)
    if (reader.size === 0) throw new OnnxFormatError('the file is empty')
    let irVersion: number | null = null
    let graph: Awaited<ReturnType<typeof readGraph>> | null = null
    const opsets: { domain: string; version: number }[] = []
    for await (const field of fields(reader, 0, reader.size, 'the model')) {
      if (field.number === MODEL.irVersion && field.wireType === 0) irVersion = field.value
      else if (field.number === MODEL.opsetImport) {
        const opset = onnx.OperatorSetIdProto.decode(await smallMessage(reader, field, 'an opset import'))
        opsets.push({ domain: opset.domain, version: toNumber(opset.version) })
      } else if (field.number === MODEL.graph && field.wireType === 2) graph = await readGraph(reader, field.start, field.end)
    }
    if (!graph) throw new OnnxFormatError('no graph found (not an ONNX model)')
    if (irVersion === null || opsets.length === 0) throw new OnnxFormatError('no IR version or opset (not an ONNX model, or cut short)')
    return { irVersion, opsets, ...graph }
  } finally {
    await handle.close()
  }
}
