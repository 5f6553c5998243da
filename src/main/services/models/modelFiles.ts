/**
 * Checks an encoder/decoder pair on disk before it becomes a model: each file must be a complete
 * ONNX model with the inputs and outputs of a flavour the runtime drives, in the right role, with
 * its external data present. Every refusal names the file and the input or output at fault.
 */
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { detectDecoder, detectEncoder, OFFICIAL_DECODER_INPUTS, type DecoderIo, type EncoderIo, type PersamInputNames, type TensorInfo } from '../../../common/sam/flavour'
import { OnnxFormatError, readOnnxGraphIo, type ExternalDataRef, type OnnxGraphIo } from '../onnx/onnxGraphIo'

export interface PairFiles {
  readonly encoder: string
  readonly decoder: string
  readonly persamDecoder?: string
}

export interface ExternalDataFile {
  /** As stored in the model: relative to the model's folder. */
  readonly location: string
  readonly absolutePath: string
  readonly bytes: number
}

export interface InspectedPair {
  readonly encoder: EncoderIo
  readonly decoder: DecoderIo
  readonly persamDecoder: DecoderIo | null
  /** Files the models reference (ONNX external data); they must travel with the model. */
  readonly externalData: readonly ExternalDataFile[]
}

/** A refused model file; `message` starts with the role and the file. */
export class ModelFileError extends Error {
  constructor(
    readonly role: string,
    readonly file: string,
    detail: string,
  ) {
    super(`${role} ${file}: ${detail}`)
  }
}

const describe = (tensors: readonly TensorInfo[]) =>
  tensors.map((tensor) => `${tensor.name}${tensor.shape ? ` [${tensor.shape.join(',')}]` : ''}`).join(', ') || '(none)'

const looksLikeDecoder = (io: OnnxGraphIo) => io.inputs.filter((input) => (OFFICIAL_DECODER_INPUTS as readonly string[]).includes(input.name)).length >= 2
const looksLikeEncoder = (io: OnnxGraphIo) =>
  !looksLikeDecoder(io) && io.inputs.length === 1 && io.outputs.some((output) => output.name === 'image_embeddings' || output.shape?.[1] === 256)

async function readIo(role: string, file: string): Promise<OnnxGraphIo> {
  try {
    return await readOnnxGraphIo(file)
  } catch (error) {
    if (error instanceof OnnxFormatError) throw new ModelFileError(role, file, `not a complete ONNX model: ${error.message} (a truncated download or copy, or another kind of file)`)
    const code = (error as NodeJS.ErrnoException).code
    throw new ModelFileError(role, file, code === 'ENOENT' ? 'file not found' : `cannot read (${error instanceof Error ? error.message : String(error)})`)
  }
}

async function checkExternalData(role: string, file: string, refs: readonly ExternalDataRef[]): Promise<ExternalDataFile[]> {
  const needed = new Map<string, number>()
  for (const ref of refs) {
    const parts = ref.location.split(/[\\/]/)
    if (path.isAbsolute(ref.location) || parts.includes('..')) {
      throw new ModelFileError(role, file, `tensor ${ref.tensor} keeps its data outside the model's folder (${ref.location}); that is not supported`)
    }
    const end = ref.length === null ? ref.offset : ref.offset + ref.length
    needed.set(ref.location, Math.max(needed.get(ref.location) ?? 0, end))
  }
  const found: ExternalDataFile[] = []
  for (const [location, minimum] of needed) {
    const absolutePath = path.join(path.dirname(file), location)
    const stats = await stat(absolutePath).catch(() => null)
    if (!stats?.isFile()) throw new ModelFileError(role, file, `its external data file ${location} is missing (it must sit next to the model)`)
    if (stats.size < minimum) throw new ModelFileError(role, file, `its external data file ${location} has ${stats.size} bytes; the model needs at least ${minimum} (truncated?)`)
    found.push({ location, absolutePath, bytes: stats.size })
  }
  return found
}

function detect<T>(role: string, file: string, run: () => T): T {
  try {
    return run()
  } catch (error) {
    throw new ModelFileError(role, file, error instanceof Error ? error.message : String(error))
  }
}

/**
 * Reads both files' graph I/O and recognises their flavours. The decoder's mask count is null
 * when its output shapes are symbolic (see probeDecoderMaskCount).
 */
export async function inspectModelPair(files: PairFiles, persamNames?: PersamInputNames): Promise<InspectedPair> {
  const encoderIo = await readIo('encoder', files.encoder)
  const decoderIo = await readIo('decoder', files.decoder)
  const encoderIsDecoder = looksLikeDecoder(encoderIo)
  const decoderIsEncoder = looksLikeEncoder(decoderIo)
  if (encoderIsDecoder && decoderIsEncoder) {
    throw new ModelFileError(
      'encoder',
      files.encoder,
      `the encoder and decoder are swapped: this file has the decoder inputs (${describe(encoderIo.inputs)}) and ${files.decoder} has the encoder input (${describe(decoderIo.inputs)})`,
    )
  }
  if (encoderIsDecoder) throw new ModelFileError('encoder', files.encoder, `this is a SAM decoder (inputs ${describe(encoderIo.inputs)}), not an encoder`)
  if (decoderIsEncoder) throw new ModelFileError('decoder', files.decoder, `this is a SAM encoder (input ${describe(decoderIo.inputs)} -> ${describe(decoderIo.outputs)}), not a decoder`)

  const encoder = detect('encoder', files.encoder, () => detectEncoder(encoderIo))
  const decoder = detect('decoder', files.decoder, () => detectDecoder(decoderIo, persamNames))
  let persamDecoder: DecoderIo | null = null
  const externalData = [
    ...(await checkExternalData('encoder', files.encoder, encoderIo.externalData)),
    ...(await checkExternalData('decoder', files.decoder, decoderIo.externalData)),
  ]
  if (files.persamDecoder) {
    const persamIo = await readIo('PerSAM decoder', files.persamDecoder)
    persamDecoder = detect('PerSAM decoder', files.persamDecoder, () => detectDecoder(persamIo, persamNames))
    if (!persamDecoder.persamInputs) throw new ModelFileError('PerSAM decoder', files.persamDecoder, `it has no ${persamNames?.attnSim ?? 'attn_sim'}/${persamNames?.targetEmbedding ?? 'target_embedding'} inputs (inputs: ${describe(persamIo.inputs)})`)
    if (persamDecoder.maskCount !== null && decoder.maskCount !== null && persamDecoder.maskCount !== decoder.maskCount) {
      throw new ModelFileError('PerSAM decoder', files.persamDecoder, `returns ${persamDecoder.maskCount} masks, the decoder ${decoder.maskCount}`)
    }
    externalData.push(...(await checkExternalData('PerSAM decoder', files.persamDecoder, persamIo.externalData)))
  }
  return { encoder, decoder, persamDecoder, externalData }
}
