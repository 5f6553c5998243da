/**
 * Widths of the structural SAM decoder replica. The interface widths are SAM's own (256-channel
 * 64x64 image embeddings, 4 mask tokens, 256x256 low-res masks, 1024 canvas); the internal widths
 * that do not reach the interface are reduced so the committed model stays small. `SAM_WIDTHS`
 * are the real decoder's, used to check the generator against a full-size export and by the
 * benchmark.
 */
export interface ReplicaWidths {
  /** Attention heads of every attention layer. */
  readonly heads: number
  /** Internal width of the self-attention (SAM: 256, no downsampling). */
  readonly selfAttention: number
  /** Internal width of the three token<->image attentions (SAM: 128, downsampled by 2). */
  readonly crossAttention: number
  /** Hidden width of the transformer MLP blocks (SAM: 2048). */
  readonly mlp: number
  /** Hidden width of the four hypernetwork MLPs (SAM: 256). */
  readonly hypernetwork: number
  /** Hidden width of the IoU head (SAM: 256). */
  readonly iouHead: number
  /** Channels after the first and second transposed convolution (SAM: 64 and 32). */
  readonly upscaling: readonly [number, number]
  /** Hidden channels of the mask-input downscaling convolutions (SAM: 16; the first conv has a quarter). */
  readonly maskInput: number
}

export const EMBED = 256
export const GRID = 64
export const CANVAS = 1024
export const LOW_RES = 256
export const MASK_TOKENS = 4
export const DEPTH = 2
/** LayerNorm epsilons: nn.LayerNorm's default and SAM's LayerNorm2d. */
export const LAYER_NORM_EPS = 1e-5
export const LAYER_NORM_2D_EPS = 1e-6

export const REPLICA_WIDTHS: ReplicaWidths = {
  heads: 2,
  selfAttention: 8,
  crossAttention: 4,
  mlp: 8,
  hypernetwork: 8,
  iouHead: 8,
  upscaling: [4, 2],
  maskInput: 16,
}

export const SAM_WIDTHS: ReplicaWidths = {
  heads: 8,
  selfAttention: 256,
  crossAttention: 128,
  mlp: 2048,
  hypernetwork: 256,
  iouHead: 256,
  upscaling: [64, 32],
  maskInput: 16,
}

export const REPLICA_SEED = 20_230_405
export const REPLICA_DIR = 'test/fixtures/sam-replica'
export const REPLICA_FILE = 'decoder.onnx'
