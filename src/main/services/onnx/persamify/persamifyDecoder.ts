/**
 * `persamifyDecoder(input, output)`: reads an official-export SAM decoder (four masks), finds
 * where PerSAM changes it, and writes the PerSAM decoder (extra inputs attn_sim and
 * target_embedding) through a temporary file that is renamed into place once onnxruntime has
 * loaded it. A decoder whose graph does not match is refused with what could not be found, and
 * nothing is written.
 */
import { createHash } from 'node:crypto'
import { readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import onnxProto, { type onnx as Onnx } from 'onnx-proto'
import * as ort from 'onnxruntime-node'
import { writeAtomicWith } from '../../fs/atomicWrite'
import { PersamifyError } from './errors'
import { GraphIndex } from './graphIndex'
import { locatePersamAnchors } from './locate'
import { applyPersamRewrite, ATTN_SIM_INPUT, TARGET_EMBEDDING_INPUT, type Rewiring } from './rewrite'

const { onnx } = onnxProto

/** Metadata key of a converted decoder; its value records the source decoder's SHA-256. */
export const PERSAMIFY_METADATA_KEY = 'persam_studio.persamify'
export const PERSAMIFY_VERSION = 1

export interface PersamifyReport {
  readonly inputFile: string
  readonly outputFile: string
  readonly sourceSha256: string
  readonly opset: number
  readonly nodesBefore: number
  readonly nodesAfter: number
  readonly inserted: readonly string[]
  readonly rewired: readonly Rewiring[]
  /** External data files the converted decoder shares with the source (same folder). */
  readonly externalData: readonly string[]
  readonly bytes: number
  readonly inputs: { readonly attnSim: string; readonly targetEmbedding: string }
}

export interface PersamifyOptions {
  /** Load the result in onnxruntime before renaming it into place (default true). */
  readonly verify?: boolean
}

export interface PersamifyStamp {
  readonly version: number
  readonly sourceSha256: string
}

function parseModel(file: string, bytes: Uint8Array): Onnx.ModelProto {
  let model: Onnx.ModelProto
  try {
    model = onnx.ModelProto.decode(bytes)
  } catch (error) {
    throw new PersamifyError(file, `not a readable ONNX model, or a truncated one (${error instanceof Error ? error.message : String(error)})`)
  }
  if (!model.graph || (model.graph.node ?? []).length === 0) throw new PersamifyError(file, 'not an ONNX model with a graph (truncated, or not ONNX)')
  return model
}

/** The converter stamp of a decoder written by persamifyDecoder, or null. */
export function readPersamifyStamp(model: Onnx.IModelProto): PersamifyStamp | null {
  const entry = model.metadataProps?.find((prop) => prop.key === PERSAMIFY_METADATA_KEY)
  if (!entry?.value) return null
  try {
    const stamp = JSON.parse(entry.value) as Partial<PersamifyStamp>
    return typeof stamp.sourceSha256 === 'string' && typeof stamp.version === 'number' ? { version: stamp.version, sourceSha256: stamp.sourceSha256 } : null
  } catch {
    return null
  }
}

export async function readModelFile(file: string): Promise<{ model: Onnx.ModelProto; bytes: Uint8Array }> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(file)
  } catch (error) {
    throw new PersamifyError(file, `cannot read the decoder (${error instanceof Error ? error.message : String(error)})`)
  }
  return { model: parseModel(file, bytes), bytes }
}

/** External data locations of the initializers; refused unless they stay valid for the output. */
async function checkExternalData(file: string, model: Onnx.IModelProto, outputFile: string): Promise<string[]> {
  const locations = new Map<string, number>()
  for (const tensor of model.graph?.initializer ?? []) {
    if (tensor.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL) continue
    const entry = (key: string) => tensor.externalData?.find((item) => item.key === key)?.value
    const location = entry('location')
    if (!location) throw new PersamifyError(file, `initializer ${tensor.name} is stored externally without a location`)
    const end = Number(entry('offset') ?? 0) + Number(entry('length') ?? 0)
    locations.set(location, Math.max(locations.get(location) ?? 0, end))
  }
  if (locations.size === 0) return []
  const sourceDir = path.dirname(path.resolve(file))
  if (path.dirname(path.resolve(outputFile)) !== sourceDir) {
    throw new PersamifyError(file, `the decoder keeps its weights in external data (${[...locations.keys()].join(', ')}); write the PerSAM decoder into the same folder (${sourceDir}) so it can share them`)
  }
  for (const [location, end] of locations) {
    const dataFile = path.resolve(sourceDir, location)
    if (path.relative(sourceDir, dataFile).startsWith('..')) throw new PersamifyError(file, `external data ${location} lies outside the decoder's folder`)
    const size = await stat(dataFile).then((stats) => stats.size).catch(() => -1)
    if (size < 0) throw new PersamifyError(file, `external data file ${location} is missing (expected next to the decoder)`)
    if (size < end) throw new PersamifyError(file, `external data file ${location} is truncated (${size} bytes, the decoder reads up to ${end})`)
  }
  return [...locations.keys()]
}

async function verifyLoads(file: string): Promise<void> {
  const session = await ort.InferenceSession.create(file)
  try {
    const inputs = new Set(session.inputNames)
    if (!inputs.has(ATTN_SIM_INPUT) || !inputs.has(TARGET_EMBEDDING_INPUT)) throw new Error('the written model lacks the PerSAM inputs')
  } finally {
    await session.release()
  }
}

export async function persamifyDecoder(inputFile: string, outputFile: string, options: PersamifyOptions = {}): Promise<PersamifyReport> {
  const { model, bytes } = await readModelFile(inputFile)
  if ((model.graph!.input ?? []).some((input) => input.name === ATTN_SIM_INPUT || input.name === TARGET_EMBEDDING_INPUT)) {
    throw new PersamifyError(inputFile, `the decoder already has the PerSAM inputs ${ATTN_SIM_INPUT}/${TARGET_EMBEDDING_INPUT}`)
  }
  const opset = Number(model.opsetImport?.find((entry) => !entry.domain)?.version ?? 0)
  // The inserted Equal on float and Where need opset 11, the official export's minimum.
  if (opset < 11) throw new PersamifyError(inputFile, `the decoder uses ONNX opset ${opset}; the official export and this converter need opset 11 or newer`)
  const externalData = await checkExternalData(inputFile, model, outputFile)
  const nodesBefore = model.graph!.node!.length
  const { anchors, missing } = locatePersamAnchors(new GraphIndex(model.graph!))
  if (!anchors) throw new PersamifyError(inputFile, 'not an official-export SAM decoder graph; could not find:', missing)

  const { inserted, rewired } = applyPersamRewrite(model, anchors)
  const sourceSha256 = createHash('sha256').update(bytes).digest('hex')
  const stamp: PersamifyStamp = { version: PERSAMIFY_VERSION, sourceSha256 }
  model.metadataProps = [...(model.metadataProps ?? []).filter((prop) => prop.key !== PERSAMIFY_METADATA_KEY), { key: PERSAMIFY_METADATA_KEY, value: JSON.stringify(stamp) }]
  const note = `PerSAM decoder written by persam-studio models persamify from ${path.basename(inputFile)} (inputs ${ATTN_SIM_INPUT}, ${TARGET_EMBEDDING_INPUT}).`
  model.docString = model.docString ? `${model.docString}\n${note}` : note
  const out = onnx.ModelProto.encode(model).finish()

  try {
    // onnxruntime loads the temporary before it replaces anything.
    await writeAtomicWith(path.resolve(outputFile), async (temp) => {
      await writeFile(temp, out)
      if (options.verify ?? true) await verifyLoads(temp)
    })
  } catch (error) {
    if (error instanceof PersamifyError) throw error
    throw new PersamifyError(inputFile, `could not write the PerSAM decoder ${outputFile} (${error instanceof Error ? error.message : String(error)})`)
  }
  return {
    inputFile,
    outputFile,
    sourceSha256,
    opset,
    nodesBefore,
    nodesAfter: model.graph!.node!.length,
    inserted,
    rewired,
    externalData,
    bytes: out.length,
    inputs: { attnSim: ATTN_SIM_INPUT, targetEmbedding: TARGET_EMBEDDING_INPUT },
  }
}
