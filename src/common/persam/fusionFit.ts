/**
 * PerSAM-F's scale-aware fine-tuning (docs/persam-algorithm.md, section 5): two weights over the three
 * multimask logits, fitted on the reference alone with dice + sigmoid focal loss, AdamW and a
 * cosine schedule. The decoder output is a constant, so it is computed once by the caller and
 * only the weighted sum and the loss are recomputed per iteration, in one pass over the pixels
 * with analytic gradients.
 */

export interface AdamWOptions {
  readonly lr: number
  readonly betas: readonly [number, number]
  readonly eps: number
  readonly weightDecay: number
}

export const PERSAM_F_OPTIMIZER: AdamWOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-4, weightDecay: 0.01 }
export const PERSAM_F_ITERATIONS = 1000
const FOCAL_ALPHA = 0.25
const FOCAL_GAMMA = 2

/** CosineAnnealingLR with eta_min = 0: the learning rate used at step t of `total`. */
export function cosineLearningRate(base: number, step: number, total: number): number {
  return (base * (1 + Math.cos((Math.PI * step) / total))) / 2
}

/** PyTorch's AdamW (decoupled weight decay) over a small parameter vector. */
export class AdamW {
  private readonly m: Float64Array
  private readonly v: Float64Array
  private t = 0

  constructor(
    readonly params: Float64Array,
    private readonly options: AdamWOptions = PERSAM_F_OPTIMIZER,
  ) {
    this.m = new Float64Array(params.length)
    this.v = new Float64Array(params.length)
  }

  step(grad: ArrayLike<number>, lr: number): void {
    const [beta1, beta2] = this.options.betas
    this.t++
    const correction1 = 1 - beta1 ** this.t
    const correction2 = 1 - beta2 ** this.t
    for (let i = 0; i < this.params.length; i++) {
      const g = grad[i]!
      this.params[i]! *= 1 - lr * this.options.weightDecay
      this.m[i] = beta1 * this.m[i]! + (1 - beta1) * g
      this.v[i] = beta2 * this.v[i]! + (1 - beta2) * g * g
      const denom = Math.sqrt(this.v[i]!) / Math.sqrt(correction2) + this.options.eps
      this.params[i]! -= ((lr / correction1) * this.m[i]!) / denom
    }
  }
}

/** log(1 + e^x) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))
}

export interface LossAndGradient {
  readonly loss: number
  readonly dice: number
  readonly focal: number
  /** d loss / d z for every pixel (only when asked for). */
  readonly grad: Float64Array | null
}

/** Dice (smooth 1) + mean sigmoid focal loss (alpha 0.25, gamma 2) of logits z against 0/1 targets. */
export function diceFocalLoss(z: ArrayLike<number>, target: ArrayLike<number>, withGradient = false): LossAndGradient {
  const n = z.length
  const p = new Float64Array(n)
  const focalGrad = withGradient ? new Float64Array(n) : null
  let intersection = 0
  let sumP = 0
  let sumG = 0
  let focal = 0
  for (let i = 0; i < n; i++) {
    const zi = z[i]!
    const g = target[i] ? 1 : 0
    const logP = -softplus(-zi)
    const log1mP = -softplus(zi)
    const pi = Math.exp(logP)
    p[i] = pi
    intersection += pi * g
    sumP += pi
    sumG += g
    if (g === 1) {
      focal += FOCAL_ALPHA * (1 - pi) ** FOCAL_GAMMA * -logP
      if (focalGrad) focalGrad[i] = FOCAL_ALPHA * (1 - pi) ** FOCAL_GAMMA * (FOCAL_GAMMA * pi * logP - (1 - pi))
    } else {
      focal += (1 - FOCAL_ALPHA) * pi ** FOCAL_GAMMA * -log1mP
      if (focalGrad) focalGrad[i] = (1 - FOCAL_ALPHA) * pi ** FOCAL_GAMMA * (pi - FOCAL_GAMMA * (1 - pi) * log1mP)
    }
  }
  const union = sumP + sumG
  const dice = 1 - (2 * intersection + 1) / (union + 1)
  let grad: Float64Array | null = null
  if (focalGrad) {
    grad = focalGrad
    const denom = (union + 1) ** 2
    for (let i = 0; i < n; i++) {
      const g = target[i] ? 1 : 0
      const diceGrad = (-(2 * g * (union + 1) - (2 * intersection + 1)) / denom) * p[i]! * (1 - p[i]!)
      grad[i] = focalGrad[i]! / n + diceGrad
    }
  }
  return { loss: dice + focal / n, dice, focal: focal / n, grad }
}

export interface FusionFit {
  /** Weights for multimask outputs 1, 2, 3: [1 - w1 - w2, w1, w2]. */
  readonly weights: readonly [number, number, number]
  /** Loss at the initial weights [1/3, 1/3, 1/3] and at the fitted weights. */
  readonly initialLoss: number
  readonly finalLoss: number
  readonly iterations: number
}

/** Fits PerSAM-F's two weights; `logits` are masks 1..3 over the same pixels as `target`. */
export function fitFusionWeights(
  logits: readonly [Float32Array, Float32Array, Float32Array],
  target: Uint8Array,
  iterations = PERSAM_F_ITERATIONS,
  optimizer: AdamWOptions = PERSAM_F_OPTIMIZER,
): FusionFit {
  const [l0, l1, l2] = logits
  const n = target.length
  if (l0.length !== n || l1.length !== n || l2.length !== n) throw new RangeError('logits and target must cover the same pixels')
  // z = W0*L0 + W1*L1 + W2*L2 = L0 + w1*(L1 - L0) + w2*(L2 - L0): the differences are constants.
  const base = Float64Array.from(l0)
  const d1 = new Float64Array(n)
  const d2 = new Float64Array(n)
  let sumG = 0
  for (let i = 0; i < n; i++) {
    d1[i] = l1[i]! - l0[i]!
    d2[i] = l2[i]! - l0[i]!
    sumG += target[i] ? 1 : 0
  }
  const params = Float64Array.of(1 / 3, 1 / 3)
  const adam = new AdamW(params, optimizer)
  const grad = new Float64Array(2)
  const lossAt = (): number => {
    const z = new Float64Array(n)
    for (let i = 0; i < n; i++) z[i] = base[i]! + params[0]! * d1[i]! + params[1]! * d2[i]!
    return diceFocalLoss(z, target).loss
  }
  const initialLoss = lossAt()
  for (let step = 0; step < iterations; step++) {
    const w1 = params[0]!
    const w2 = params[1]!
    // One pass: the dice gradient needs the global sums, so accumulate the pieces of
    // sum_i dLd/dz_i * (L_k - L_0) separately and combine them afterwards.
    let intersection = 0
    let sumP = 0
    let focalD1 = 0
    let focalD2 = 0
    let gsD1 = 0
    let gsD2 = 0
    let sD1 = 0
    let sD2 = 0
    for (let i = 0; i < n; i++) {
      const a1 = d1[i]!
      const a2 = d2[i]!
      const z = base[i]! + w1 * a1 + w2 * a2
      const e = Math.exp(-Math.abs(z))
      const inv = 1 / (1 + e)
      const p = z >= 0 ? inv : e * inv
      const q = 1 - p
      const s = p * q
      sumP += p
      sD1 += s * a1
      sD2 += s * a2
      let df: number
      if (target[i]) {
        intersection += p
        gsD1 += s * a1
        gsD2 += s * a2
        const logP = z >= 0 ? -Math.log1p(e) : z - Math.log1p(e)
        df = FOCAL_ALPHA * q * q * (FOCAL_GAMMA * p * logP - q)
      } else {
        const log1mP = z >= 0 ? -z - Math.log1p(e) : -Math.log1p(e)
        df = (1 - FOCAL_ALPHA) * p * p * (p - FOCAL_GAMMA * q * log1mP)
      }
      focalD1 += df * a1
      focalD2 += df * a2
    }
    const union = sumP + sumG
    const scale = -1 / (union + 1) ** 2
    grad[0] = focalD1 / n + scale * (2 * (union + 1) * gsD1 - (2 * intersection + 1) * sD1)
    grad[1] = focalD2 / n + scale * (2 * (union + 1) * gsD2 - (2 * intersection + 1) * sD2)
    adam.step(grad, cosineLearningRate(optimizer.lr, step, iterations))
  }
  const w1 = params[0]!
  const w2 = params[1]!
  return { weights: [1 - w1 - w2, w1, w2], initialLoss, finalLoss: lossAt(), iterations }
}

/** z = sum_k W_k * L_k over any maps of equal length (high-res masks or low-res logits). */
export function fuseLogits(weights: readonly [number, number, number], maps: readonly [Float32Array, Float32Array, Float32Array]): Float32Array {
  const [w0, w1, w2] = weights
  const [a, b, c] = maps
  const out = new Float32Array(a.length)
  for (let i = 0; i < out.length; i++) out[i] = w0 * a[i]! + w1 * b[i]! + w2 * c[i]!
  return out
}
