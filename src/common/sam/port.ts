/**
 * What the rest of the studio (the PerSAM engine, the studio API) needs from a SAM model, as
 * plain data: the worker-backed runtime in src/main/services/sam implements these ports.
 */
import { SAM_FEATURES, SAM_GRID, SAM_LOW_RES, type SamGeometry, type Size } from './geometry'
import type { CocoRle } from '../mask/rle'
import type { PromptBox, PromptPoint } from './prompts'

/** The encoder output for one image: [256,64,64] float32, channel-major, plus where the image sits. */
export interface ImageEmbedding {
  readonly modelId: string
  /** Identifies the image content (e.g. a SHA-256 of the file); with modelId it keys the caches. */
  readonly imageKey: string
  readonly data: Float32Array
  readonly geometry: SamGeometry
}

export const EMBEDDING_DIMS = [SAM_FEATURES, SAM_GRID, SAM_GRID] as const
export const EMBEDDING_LENGTH = SAM_FEATURES * SAM_GRID * SAM_GRID
/** Values in one low-res logits plane (SAM_LOW_RES x SAM_LOW_RES). */
export const LOW_RES_PLANE = SAM_LOW_RES * SAM_LOW_RES

/**
 * One decoder call. `K` (the mask output kind) and `F` (the fusion weights, or their absence) are
 * inferred from the request and select the result type (DecodeResult<K, FusedFor<F>>), so callers
 * read `rles`, `binaryMasks`, `masks` or `fused` without assertions.
 */
export interface DecodeRequest<K extends MaskOutput = MaskOutput, F extends FusionWeightsOrNone = FusionWeightsOrNone> {
  readonly embedding: ImageEmbedding
  /** Clicks in image pixels; label 1 positive, 0 negative. */
  readonly points: readonly PromptPoint[]
  /** A box in image pixels. Without one, the padding point is appended. */
  readonly box?: PromptBox | null
  /** Previous low-res logits (256*256) to refine; has_mask_input is 1 when given. */
  readonly maskInput?: Float32Array | null
  /**
   * Size of `masks` (the decoder's orig_im_size). Default: the image size, or a smaller size with
   * the same aspect ratio when the image exceeds the runtime's mask pixel budget.
   */
  readonly outputSize?: Size
  /** PerSAM target-guided attention, [4096] (64x64 row-major, sigmoid of a z-scored similarity). */
  readonly attnSim?: Float32Array | null
  /** PerSAM target embedding, [256] (the raw mean feature of the target). */
  readonly targetEmbedding?: Float32Array | null
  /**
   * Indices of masks to also return binarised (logit > 0) at the image's full size, upscaled from
   * `masks` when those were requested smaller.
   */
  readonly fullSizeMasks?: readonly number[]
  /**
   * What `masks` carries: the logits (default), the masks binarised in the inference worker (a
   * quarter of the bytes), or nothing when only the extents and low-res logits are needed.
   */
  readonly maskOutput?: K
  /**
   * PerSAM-F's fusion weights for multimask outputs 1..3: when given, `fused` carries their
   * weighted sum, computed where the logits are (the inference worker) so three full-size planes
   * need not travel to the caller only to be summed.
   */
  readonly fusionWeights?: F
}

export type FusionWeights = readonly [number, number, number]
export type FusionWeightsOrNone = FusionWeights | null | undefined
/** `fused` is a FusedMultimask when the request gave fusion weights, null when it did not. */
export type FusedFor<F extends FusionWeightsOrNone> = F extends FusionWeights ? FusedMultimask : null

/** The weighted sum of multimask outputs 1..3: its low-res logits and the extent of its full mask. */
export interface FusedMultimask {
  /** [256 * 256] fused low-res logits (feed back as maskInput). */
  readonly lowResLogits: Float32Array
  /** Foreground (fused logit > 0) area and bounds at outputSize. */
  readonly extent: MaskExtent
}

/** 'rle': each mask as COCO RLE at the image's full size, encoded in the inference worker. */
export type MaskOutput = 'logits' | 'binary' | 'rle' | 'none'

/** Foreground area and inclusive bounds of one mask plane (logit > 0), at outputSize. */
export interface MaskExtent {
  readonly area: number
  readonly x0: number
  readonly y0: number
  readonly x1: number
  readonly y1: number
}

/** What every decode returns, whatever mask output it asked for. */
interface DecodeOutputs {
  /** 4 for a multimask export: index 0 single-mask, 1..3 multimask. */
  readonly maskCount: number
  /** One per mask plane, always. */
  readonly extents: readonly MaskExtent[]
  readonly outputSize: Size
  /** [maskCount] */
  readonly iouPredictions: Float32Array
  /** [maskCount, 256, 256] logits over the padded canvas (feed one back as maskInput). */
  readonly lowResLogits: Float32Array
  /** One entry per requested fullSizeMasks index: [height * width] of 0/1 at the image size. */
  readonly fullSizeMasks: readonly { readonly index: number; readonly mask: Uint8Array }[]
}

/** The masks themselves, in the form the request's maskOutput asked for. */
export type MaskPayload =
  /** [maskCount, outputSize.height, outputSize.width] logits (binarise with > 0). */
  | { readonly maskOutput: 'logits'; readonly masks: Float32Array }
  /** [maskCount, outputSize.height, outputSize.width] of 0/1. */
  | { readonly maskOutput: 'binary'; readonly binaryMasks: Uint8Array }
  /** One uncompressed COCO RLE per mask at the image's full size. */
  | { readonly maskOutput: 'rle'; readonly rles: readonly CocoRle[] }
  | { readonly maskOutput: 'none' }

/**
 * A decoder call's outputs. `K` narrows the mask payload (a union of kinds stays a discriminated
 * union on `maskOutput`); `Fused` is FusedMultimask when fusion weights were given, else null.
 */
export type DecodeResult<K extends MaskOutput = MaskOutput, Fused extends FusedMultimask | null = FusedMultimask | null> = DecodeOutputs &
  Extract<MaskPayload, { readonly maskOutput: K }> & { readonly fused: Fused }

/**
 * Narrows a result to what its request selects, checking that the producer honoured the request
 * (the one place a runtime that returns the general union, such as the inference worker's reply,
 * becomes the specific type).
 */
export function resultForRequest<K extends MaskOutput = 'logits', F extends FusionWeightsOrNone = undefined>(
  request: DecodeRequest<K, F>,
  result: DecodeResult,
): DecodeResult<K, FusedFor<F>> {
  const wanted = request.maskOutput ?? 'logits'
  if (result.maskOutput !== wanted) throw new Error(`decoder returned '${result.maskOutput}' masks, the request asked for '${wanted}'`)
  if (Boolean(request.fusionWeights) !== Boolean(result.fused)) {
    throw new Error(request.fusionWeights ? 'decoder did not return the fused multimask the request asked for' : 'decoder returned a fused multimask nobody asked for')
  }
  return result as DecodeResult<K, FusedFor<F>>
}

export interface DecoderCapabilities {
  readonly maskCount: number
  /** The decoder used when attnSim/targetEmbedding are given has those inputs. */
  readonly persamInputs: boolean
}

export interface SamDecoderPort {
  readonly capabilities: DecoderCapabilities
  decode<K extends MaskOutput = 'logits', F extends FusionWeightsOrNone = undefined>(request: DecodeRequest<K, F>): Promise<DecodeResult<K, FusedFor<F>>>
}

/** A copy of candidate `index`'s low-res logits, ready to feed back as maskInput. */
export function lowResPlane(lowResLogits: Float32Array, index: number): Float32Array {
  return lowResLogits.slice(index * LOW_RES_PLANE, (index + 1) * LOW_RES_PLANE)
}
