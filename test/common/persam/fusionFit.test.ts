import { describe, expect, it } from 'vitest'
import { AdamW, cosineLearningRate, diceFocalLoss, fitFusionWeights, fuseLogits } from '../../../src/common/persam/fusionFit'

function lcg(seed: number): () => number {
  let s = seed
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 4294967296
  }
}

describe('dice + focal loss', () => {
  it('matches hand-computed values on two pixels', () => {
    // z = [0, 0] -> p = 0.5 each; targets [1, 0]
    const { dice, focal } = diceFocalLoss([0, 0], [1, 0])
    // dice = 1 - (2*0.5 + 1) / (1 + 1 + 1) = 1/3
    expect(dice).toBeCloseTo(1 / 3, 12)
    // focal per pixel: g=1: 0.25 * 0.25 * ln 2; g=0: 0.75 * 0.25 * ln 2; mean over 2
    expect(focal).toBeCloseTo(((0.25 * 0.25 + 0.75 * 0.25) * Math.LN2) / 2, 12)
  })

  it('has an analytic gradient that agrees with finite differences', () => {
    const rand = lcg(5)
    const z = Array.from({ length: 40 }, () => (rand() - 0.5) * 12)
    const g = Array.from({ length: 40 }, () => (rand() > 0.6 ? 1 : 0))
    const { grad } = diceFocalLoss(z, g, true)
    const h = 1e-6
    for (let i = 0; i < z.length; i++) {
      const up = [...z]
      up[i]! += h
      const down = [...z]
      down[i]! -= h
      const numeric = (diceFocalLoss(up, g).loss - diceFocalLoss(down, g).loss) / (2 * h)
      expect(grad![i]).toBeCloseTo(numeric, 7)
    }
  })

  it('stays finite for extreme logits', () => {
    const { loss, grad } = diceFocalLoss([1000, -1000, 1000, -1000], [1, 0, 0, 1], true)
    expect(Number.isFinite(loss)).toBe(true)
    expect(grad!.every(Number.isFinite)).toBe(true)
  })
})

describe('optimiser and schedule', () => {
  it('takes PyTorch AdamW steps', () => {
    const params = Float64Array.of(1 / 3)
    const adam = new AdamW(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-4, weightDecay: 0.01 })
    adam.step([0.5], 1e-3)
    // decay: p*(1 - 1e-5); m̂ = 0.5, v̂ = 0.25 -> step = 1e-3 * 0.5 / (0.5 + 1e-4)
    const expected = (1 / 3) * (1 - 1e-5) - (1e-3 * 0.5) / (0.5 + 1e-4)
    expect(params[0]).toBeCloseTo(expected, 15)
    adam.step([-0.2], 1e-3)
    const m = 0.9 * 0.05 + 0.1 * -0.2
    const v = 0.999 * 0.00025 + 0.001 * 0.04
    const second = expected * (1 - 1e-5) - ((1e-3 / (1 - 0.81)) * m) / (Math.sqrt(v) / Math.sqrt(1 - 0.999 ** 2) + 1e-4)
    expect(params[0]).toBeCloseTo(second, 15)
  })

  it('anneals the learning rate on a cosine from 1e-3 to 0', () => {
    expect(cosineLearningRate(1e-3, 0, 1000)).toBe(1e-3)
    expect(cosineLearningRate(1e-3, 500, 1000)).toBeCloseTo(5e-4, 15)
    expect(cosineLearningRate(1e-3, 250, 1000)).toBeCloseTo((1e-3 * (1 + Math.SQRT1_2)) / 2, 15)
    expect(cosineLearningRate(1e-3, 1000, 1000)).toBeCloseTo(0, 15)
  })
})

describe('PerSAM-F weight fitting', () => {
  // Three nested "multimask" logit maps on a 64x64 image: a small part, a medium and the whole.
  function nested(): { logits: [Float32Array, Float32Array, Float32Array]; whole: Uint8Array; part: Uint8Array } {
    const n = 64
    const logits: [Float32Array, Float32Array, Float32Array] = [new Float32Array(n * n), new Float32Array(n * n), new Float32Array(n * n)]
    const whole = new Uint8Array(n * n)
    const part = new Uint8Array(n * n)
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        const r = Math.hypot(x - 32, y - 32)
        const i = y * n + x
        logits[0][i] = 8 - r
        logits[1][i] = 14 - r
        logits[2][i] = 20 - r
        whole[i] = r < 20 ? 1 : 0
        part[i] = r < 8 ? 1 : 0
      }
    }
    return { logits, whole, part }
  }

  it('learns to favour the mask that matches the reference and lowers the loss', () => {
    const { logits, whole, part } = nested()
    const toWhole = fitFusionWeights(logits, whole)
    expect(toWhole.finalLoss).toBeLessThan(toWhole.initialLoss)
    const fusedWhole = fuseLogits(toWhole.weights, logits)
    const toPart = fitFusionWeights(logits, part)
    const fusedPart = fuseLogits(toPart.weights, logits)
    const iou = (z: Float32Array, g: Uint8Array) => {
      let inter = 0
      let union = 0
      for (let i = 0; i < g.length; i++) {
        const p = z[i]! > 0 ? 1 : 0
        inter += p & g[i]!
        union += p | g[i]!
      }
      return inter / union
    }
    expect(iou(fusedWhole, whole)).toBeGreaterThan(iou(fuseLogits([1 / 3, 1 / 3, 1 / 3], logits), whole))
    expect(iou(fusedPart, part)).toBeGreaterThan(iou(fuseLogits([1 / 3, 1 / 3, 1 / 3], logits), part))
    // The whole-object fit moves weight toward the third (largest) mask; the part fit away from it.
    expect(toWhole.weights[2]).toBeGreaterThan(1 / 3)
    expect(toPart.weights[2]).toBeLessThan(1 / 3)
    expect(toWhole.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12)
  })

  it('computes the same gradient as the generic loss in its fused single pass', () => {
    const { logits, whole } = nested()
    // One iteration with lr so small that the step is linear in the gradient: compare directions.
    const fit = fitFusionWeights(logits, whole, 1, { lr: 1e-9, betas: [0, 0], eps: 0, weightDecay: 0 })
    const z = fuseLogits([1 / 3, 1 / 3, 1 / 3], logits)
    const { grad } = diceFocalLoss(z, whole, true)
    let g1 = 0
    let g2 = 0
    for (let i = 0; i < z.length; i++) {
      g1 += grad![i]! * (logits[1][i]! - logits[0][i]!)
      g2 += grad![i]! * (logits[2][i]! - logits[0][i]!)
    }
    // With beta = 0 and eps = 0, AdamW moves each weight by -lr * sign(g).
    expect(Math.sign(fit.weights[1] - 1 / 3)).toBe(-Math.sign(g1))
    expect(Math.sign(fit.weights[2] - 1 / 3)).toBe(-Math.sign(g2))
  })
})
