/**
 * Messages between the SAM runtime (caller thread) and its inference worker. Every request has an
 * id; the worker answers each one once, with the same id. Typed arrays travel as transfers.
 */
import type { DecoderIo, EncoderIo, PersamInputNames } from '../../../common/sam/flavour'
import type { SamGeometry, Size } from '../../../common/sam/geometry'
import type { EncoderInputFlavour } from '../../../common/sam/manifest'
import type { DecodeResult, FusionWeights, MaskOutput } from '../../../common/sam/port'
import type { PromptBox, PromptPoint } from '../../../common/sam/prompts'
import type { ExecutionProviderName, ProviderReport } from './providers'

/** One model pair, with absolute file paths and what its manifest (if any) promises. */
export interface ModelPairSpec {
  readonly id: string
  readonly encoderFile: string
  readonly decoderFile: string
  readonly persamDecoderFile?: string
  readonly encoderInput?: EncoderInputFlavour
  readonly encoderInputName?: string
  readonly maskCount?: number
  readonly persamInputs?: PersamInputNames | null
}

export interface LoadConfig {
  readonly model: ModelPairSpec
  readonly providers: readonly ExecutionProviderName[]
  readonly encoderThreads: number
  readonly decoderThreads: number
}

export interface SessionInfo<Io> {
  readonly file: string
  readonly io: Io
  readonly providers: ProviderReport
}

export interface LoadedModelInfo {
  readonly id: string
  readonly encoder: SessionInfo<EncoderIo>
  readonly decoder: SessionInfo<DecoderIo>
  readonly persamDecoder: SessionInfo<DecoderIo> | null
  readonly maskCount: number
}

export interface EncodeJob {
  /** HWC RGB, already resized so the longest side is 1024. */
  readonly rgb: Uint8Array
  readonly width: number
  readonly height: number
  /** Keep a copy resident under this key, so the first decodes need not send the embedding back. */
  readonly keepAs?: string
}

export interface EncodeReply {
  readonly embedding: Float32Array
  readonly preprocessMs: number
  readonly encoderMs: number
}

export interface DecodeJob {
  /** Which embedding; the worker keeps a few resident so they need not be resent. */
  readonly embeddingKey: string
  /** Present when the worker may not hold the embedding yet. */
  readonly embedding?: Float32Array
  readonly geometry: SamGeometry
  readonly points: readonly PromptPoint[]
  readonly box: PromptBox | null
  readonly maskInput: Float32Array | null
  readonly outputSize: Size
  readonly attnSim: Float32Array | null
  readonly targetEmbedding: Float32Array | null
  readonly fullSizeMasks: readonly number[]
  readonly maskOutput: MaskOutput
  readonly fusionWeights: FusionWeights | null
}

/** The decoder's result as the worker sends it back, with the time the decoder run took. */
export type DecodeReply = DecodeResult & {
  readonly decoderMs: number
}

export type WorkerRequest =
  | { readonly id: number; readonly type: 'load'; readonly config: LoadConfig }
  | { readonly id: number; readonly type: 'encode'; readonly job: EncodeJob }
  | { readonly id: number; readonly type: 'decode'; readonly job: DecodeJob }
  /** Drops request `target` if it has not started; the worker answers `target` with a cancellation. */
  | { readonly id: number; readonly type: 'cancel'; readonly target: number }
  | { readonly id: number; readonly type: 'release' }

export type WorkerReplyValue = LoadedModelInfo | EncodeReply | DecodeReply | null

export const EMBEDDING_MISSING = 'embedding-missing'
export const CANCELLED = 'cancelled'

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly value: WorkerReplyValue }
  | { readonly id: number; readonly ok: false; readonly error: { readonly message: string; readonly code?: string } }
