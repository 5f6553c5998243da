/**
 * The replica's parameters, drawn from a seeded generator (mulberry32, as the synthetic data) in a
 * fixed order, with PyTorch's default initialisation ranges so activations stay O(1) like a real
 * decoder's. The ONNX generator and the TypeScript reference forward pass both read this.
 */
import { Random } from '../../src/common/synthetic/random'
import { DEPTH, EMBED, MASK_TOKENS, REPLICA_SEED, REPLICA_WIDTHS, type ReplicaWidths } from './config'

/** y = x W^T + b, W row-major [outputs, inputs] (torch's nn.Linear layout). */
export interface Linear {
  readonly inputs: number
  readonly outputs: number
  readonly weight: Float32Array
  readonly bias: Float32Array
}

export interface Norm {
  readonly weight: Float32Array
  readonly bias: Float32Array
}

/** Conv2d weight [out, in, k, k]; ConvTranspose2d weight [in, out, k, k] (torch layouts). */
export interface Conv {
  readonly inputs: number
  readonly outputs: number
  readonly kernel: number
  readonly weight: Float32Array
  readonly bias: Float32Array
}

export interface AttentionWeights {
  readonly heads: number
  readonly internal: number
  readonly q: Linear
  readonly k: Linear
  readonly v: Linear
  readonly out: Linear
}

export interface BlockWeights {
  readonly selfAttn: AttentionWeights
  readonly norm1: Norm
  readonly crossTokenToImage: AttentionWeights
  readonly norm2: Norm
  readonly mlp: { readonly lin1: Linear; readonly lin2: Linear }
  readonly norm3: Norm
  readonly norm4: Norm
  readonly crossImageToToken: AttentionWeights
}

export interface ReplicaWeights {
  readonly widths: ReplicaWidths
  readonly prompt: {
    /** [2, 128] */
    readonly gaussian: Float32Array
    /** Labels 0..3 (negative, positive, box corners), 256 each. */
    readonly pointEmbeddings: readonly Float32Array[]
    readonly notAPoint: Float32Array
    readonly noMask: Float32Array
    readonly maskDownscaling: { readonly conv0: Conv; readonly norm1: Norm; readonly conv3: Conv; readonly norm4: Norm; readonly conv6: Conv }
  }
  readonly decoder: {
    readonly iouToken: Float32Array
    /** [4, 256] */
    readonly maskTokens: Float32Array
    readonly layers: readonly BlockWeights[]
    readonly finalAttn: AttentionWeights
    readonly normFinal: Norm
    readonly upscaling: { readonly convT0: Conv; readonly norm1: Norm; readonly convT3: Conv }
    readonly hypernetworks: readonly (readonly Linear[])[]
    readonly iouHead: readonly Linear[]
  }
}

class Draw {
  private readonly random: Random
  constructor(seed: number) {
    this.random = new Random(seed)
  }

  uniform(length: number, bound: number): Float32Array {
    return Float32Array.from({ length }, () => this.random.range(-bound, bound))
  }

  /** Standard normal values (Box-Muller). */
  normal(length: number, scale = 1): Float32Array {
    return Float32Array.from({ length }, () => {
      const u = 1 - this.random.next()
      const v = this.random.next()
      return scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
    })
  }

  linear(inputs: number, outputs: number): Linear {
    const bound = 1 / Math.sqrt(inputs)
    return { inputs, outputs, weight: this.uniform(outputs * inputs, bound), bias: this.uniform(outputs, bound) }
  }

  /** A trained-looking norm: weights near 1, biases near 0 (distinct per norm, unlike a fresh init). */
  norm(width: number): Norm {
    return { weight: Float32Array.from(this.uniform(width, 0.2), (v) => 1 + v), bias: this.uniform(width, 0.1) }
  }

  conv(inputs: number, outputs: number, kernel: number, transposed: boolean): Conv {
    const bound = 1 / Math.sqrt((transposed ? outputs : inputs) * kernel * kernel)
    return { inputs, outputs, kernel, weight: this.uniform(inputs * outputs * kernel * kernel, bound), bias: this.uniform(outputs, bound) }
  }

  attention(internal: number, heads: number): AttentionWeights {
    return { heads, internal, q: this.linear(EMBED, internal), k: this.linear(EMBED, internal), v: this.linear(EMBED, internal), out: this.linear(internal, EMBED) }
  }

  mlp(input: number, hidden: number, output: number): Linear[] {
    return [this.linear(input, hidden), this.linear(hidden, hidden), this.linear(hidden, output)]
  }
}

export function replicaWeights(widths: ReplicaWidths = REPLICA_WIDTHS, seed = REPLICA_SEED): ReplicaWeights {
  const draw = new Draw(seed)
  const quarter = Math.max(1, widths.maskInput / 4)
  const prompt = {
    gaussian: draw.normal(2 * (EMBED / 2)),
    pointEmbeddings: Array.from({ length: 4 }, () => draw.normal(EMBED)),
    notAPoint: draw.normal(EMBED),
    noMask: draw.normal(EMBED),
    maskDownscaling: {
      conv0: draw.conv(1, quarter, 2, false),
      norm1: draw.norm(quarter),
      conv3: draw.conv(quarter, widths.maskInput, 2, false),
      norm4: draw.norm(widths.maskInput),
      conv6: draw.conv(widths.maskInput, EMBED, 1, false),
    },
  }
  const layers = Array.from({ length: DEPTH }, () => ({
    selfAttn: draw.attention(widths.selfAttention, widths.heads),
    norm1: draw.norm(EMBED),
    crossTokenToImage: draw.attention(widths.crossAttention, widths.heads),
    norm2: draw.norm(EMBED),
    mlp: { lin1: draw.linear(EMBED, widths.mlp), lin2: draw.linear(widths.mlp, EMBED) },
    norm3: draw.norm(EMBED),
    norm4: draw.norm(EMBED),
    crossImageToToken: draw.attention(widths.crossAttention, widths.heads),
  }))
  const [up0, up1] = widths.upscaling
  const decoder = {
    iouToken: draw.normal(EMBED),
    maskTokens: draw.normal(MASK_TOKENS * EMBED),
    layers,
    finalAttn: draw.attention(widths.crossAttention, widths.heads),
    normFinal: draw.norm(EMBED),
    upscaling: { convT0: draw.conv(EMBED, up0, 2, true), norm1: draw.norm(up0), convT3: draw.conv(up0, up1, 2, true) },
    hypernetworks: Array.from({ length: MASK_TOKENS }, () => draw.mlp(EMBED, widths.hypernetwork, up1)),
    iouHead: draw.mlp(EMBED, widths.iouHead, MASK_TOKENS),
  }
  return { widths, prompt, decoder }
}
