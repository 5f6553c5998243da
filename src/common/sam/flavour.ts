/**
 * Recognises a SAM-family ONNX pair from its input and output names and shapes (never from file
 * names), for models installed without a manifest and to check a manifest against the files.
 * Families this runtime cannot drive are named in the error, so the user knows what they have.
 */
import { SAM_CANVAS } from './geometry'
import { ENCODER_INPUT_FLAVOURS, type DecoderFlavour, type EncoderInputFlavour } from './manifest'

export interface TensorInfo {
  readonly name: string
  /** onnxruntime's type name: 'float32', 'uint8', 'int64', ... */
  readonly type?: string
  /** Numbers for fixed dimensions, strings for symbolic ones. */
  readonly shape?: readonly (number | string)[]
}

export interface ModelIo {
  readonly inputs: readonly TensorInfo[]
  readonly outputs: readonly TensorInfo[]
}

export interface EncoderIo {
  readonly flavour: EncoderInputFlavour
  readonly inputName: string
  readonly outputName: string
}

export interface PersamInputNames {
  readonly attnSim: string
  readonly targetEmbedding: string
}

export interface DecoderIo {
  readonly flavour: DecoderFlavour
  /** From the output shapes; null when they are symbolic (probe with one run). */
  readonly maskCount: number | null
  readonly persamInputs: PersamInputNames | null
}

export const OFFICIAL_DECODER_INPUTS = ['image_embeddings', 'point_coords', 'point_labels', 'mask_input', 'has_mask_input', 'orig_im_size'] as const
export const OFFICIAL_DECODER_OUTPUTS = ['masks', 'iou_predictions', 'low_res_masks'] as const
export const DEFAULT_PERSAM_INPUTS: PersamInputNames = { attnSim: 'attn_sim', targetEmbedding: 'target_embedding' }

const ENCODER_INPUT_NAMES = ['image', 'input_image', 'x', 'input', 'images']

const names = (tensors: readonly TensorInfo[]): string => tensors.map((tensor) => tensor.name).join(', ') || '(none)'

/** Recognised decoder families this runtime does not drive (docs/sam-onnx-io.md, "Other families"; first match wins). */
const UNSUPPORTED_DECODERS: readonly { readonly family: string; readonly matches: (inputs: ReadonlySet<string>) => boolean }[] = [
  { family: 'SAM3', matches: (inputs) => inputs.has('language_mask') || inputs.has('backbone_fpn_0') },
  { family: 'SAM2 (samexporter)', matches: (inputs) => inputs.has('high_res_feats_0') },
  { family: 'SAM2 (osam/ryouchinsa)', matches: (inputs) => inputs.has('high_res_features1') },
  { family: 'transformers.js-style SAM', matches: (inputs) => inputs.has('image_embeddings.0') || (inputs.has('input_points') && inputs.has('image_positional_embeddings')) },
  { family: 'EfficientSAM', matches: (inputs) => inputs.has('batched_point_coords') },
  { family: 'SAM-HQ (needs interm_embeddings)', matches: (inputs) => inputs.has('interm_embeddings') },
  { family: 'EdgeSAM', matches: (inputs) => inputs.has('point_coords') && !inputs.has('mask_input') && !inputs.has('orig_im_size') },
]

export function detectDecoder(io: ModelIo, persamNames: PersamInputNames = DEFAULT_PERSAM_INPUTS): DecoderIo {
  const inputs = new Set(io.inputs.map((input) => input.name))
  const unsupported = UNSUPPORTED_DECODERS.find((candidate) => candidate.matches(inputs))
  if (unsupported) throw new Error(`decoder looks like ${unsupported.family}, which this runtime does not support (inputs: ${names(io.inputs)})`)
  const missing = OFFICIAL_DECODER_INPUTS.filter((name) => !inputs.has(name))
  if (missing.length > 0) {
    throw new Error(`unknown decoder inputs: expected the official SAM decoder's ${OFFICIAL_DECODER_INPUTS.join(', ')}; missing ${missing.join(', ')} (inputs: ${names(io.inputs)})`)
  }
  const known = new Set<string>([...OFFICIAL_DECODER_INPUTS, persamNames.attnSim, persamNames.targetEmbedding])
  const unexpected = io.inputs.filter((input) => !known.has(input.name))
  if (unexpected.length > 0) throw new Error(`unknown decoder inputs ${names(unexpected)} besides the official SAM decoder's`)
  const outputs = new Set(io.outputs.map((output) => output.name))
  const missingOutputs = OFFICIAL_DECODER_OUTPUTS.filter((name) => !outputs.has(name))
  if (missingOutputs.length > 0) throw new Error(`decoder lacks the outputs ${missingOutputs.join(', ')} (outputs: ${names(io.outputs)})`)

  const hasAttnSim = inputs.has(persamNames.attnSim)
  const hasTarget = inputs.has(persamNames.targetEmbedding)
  if (hasAttnSim !== hasTarget) throw new Error(`decoder has only one of the PerSAM inputs ${persamNames.attnSim}, ${persamNames.targetEmbedding}`)
  const maskDims = ['iou_predictions', 'masks', 'low_res_masks'].map((name) => io.outputs.find((output) => output.name === name)?.shape?.[1])
  const maskCount = maskDims.find((dim): dim is number => typeof dim === 'number') ?? null
  return { flavour: 'sam-official', maskCount, persamInputs: hasAttnSim ? persamNames : null }
}

function encoderFlavour(input: TensorInfo): EncoderInputFlavour | string {
  const rank = input.shape?.length
  if (rank === 4) {
    if (input.type === 'uint8') return `a uint8 NCHW input (EdgeSAM-style), which this runtime does not support`
    const [, channels, height, width] = input.shape ?? []
    const fits = (dim: number | string | undefined, size: number) => typeof dim !== 'number' || dim === size
    if (fits(channels, 3) && fits(height, SAM_CANVAS) && fits(width, SAM_CANVAS)) return 'nchw-normalized-1024'
    return `an NCHW input of shape [${input.shape?.join(',')}] (expected [1,3,1024,1024])`
  }
  if (rank === 3 && (input.shape?.[2] === 3 || typeof input.shape?.[2] === 'string')) {
    if (input.type === 'float32') return 'hwc-float-longest-1024'
    if (input.type === 'uint8') return 'hwc-uint8-longest-1024'
  }
  return `an input of type ${input.type ?? '?'} and shape [${input.shape?.join(',') ?? '?'}]`
}

const isEncoderFlavour = (value: string): value is EncoderInputFlavour => (ENCODER_INPUT_FLAVOURS as readonly string[]).includes(value)

export function detectEncoder(io: ModelIo, inputName?: string): EncoderIo {
  const input = inputName
    ? io.inputs.find((candidate) => candidate.name === inputName)
    : io.inputs.length === 1
      ? io.inputs[0]
      : io.inputs.find((candidate) => ENCODER_INPUT_NAMES.includes(candidate.name))
  if (!input) {
    if (io.inputs.some((candidate) => candidate.name === 'batched_images')) throw new Error('encoder looks like EfficientSAM, which this runtime does not support')
    if (io.inputs.some((candidate) => candidate.name === 'pixel_values')) throw new Error('encoder looks like a transformers.js-style SAM, which this runtime does not support')
    throw new Error(`unknown encoder inputs: ${names(io.inputs)}${inputName ? ` (no input named ${inputName})` : ''}`)
  }
  const output = io.outputs.find((candidate) => candidate.name === 'image_embeddings') ?? (io.outputs.length === 1 ? io.outputs[0] : undefined)
  if (!output) {
    const sam2 = io.outputs.some((candidate) => candidate.name.startsWith('high_res_feats'))
    throw new Error(`${sam2 ? 'encoder looks like SAM2, which this runtime does not support' : 'encoder has no image_embeddings output'} (outputs: ${names(io.outputs)})`)
  }
  const flavour = encoderFlavour(input)
  if (!isEncoderFlavour(flavour)) throw new Error(`unknown encoder input ${input.name}: ${flavour}`)
  return { flavour, inputName: input.name, outputName: output.name }
}
