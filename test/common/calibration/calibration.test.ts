import { describe, expect, it } from 'vitest'
import { acceptAllEstimate, calibratedConfidence, fitCalibration, labelFor, type CalibrationDecision } from '../../../src/common/calibration/calibrator'
import { fitIsotonic, predictIsotonic } from '../../../src/common/calibration/isotonic'
import { fitLogistic, predictLogistic } from '../../../src/common/calibration/logistic'
import { auroc, logLoss, thresholdForMissRate } from '../../../src/common/calibration/metrics'
import type { ProposalSignals } from '../../../src/common/persam/signals'
import { Random } from '../../../src/common/synthetic/random'

const signals = (overrides: Partial<ProposalSignals> = {}): ProposalSignals => ({
  peak: 0.9, peakValue: 0.8, predictedIou: 0.9, featureSimilarity: 0.95, stability: 0.9, areaFraction: 0.05, areaRatio: 1, components: 1, borderContact: 0, candidateRank: 0, ...overrides,
})

describe('metrics', () => {
  it('AUROC counts ordered pairs, ties half, null with one class', () => {
    expect(auroc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBeCloseTo(0.75, 10)
    expect(auroc([0.5, 0.5], [false, true])).toBeCloseTo(0.5, 10)
    expect(auroc([0.1, 0.2], [true, true])).toBeNull()
  })

  it('log-loss of a perfect soft prediction is the label entropy', () => {
    expect(logLoss([0.5], [0.5])).toBeCloseTo(Math.log(2), 6)
  })

  it('the threshold misses at most the chosen share of positives', () => {
    const scores = Array.from({ length: 40 }, (_, i) => i / 40)
    const positives = scores.map((s) => s >= 0.25)
    const t = thresholdForMissRate(scores, positives, 0.1)
    const missed = scores.filter((s, i) => positives[i] && s < t).length
    expect(missed).toBeLessThanOrEqual(3)
    expect(missed).toBe(3)
  })
})

describe('logistic regression (IRLS)', () => {
  it('reaches the penalised optimum: the gradient vanishes', () => {
    const rng = new Random(3)
    const rows = Array.from({ length: 200 }, () => [rng.range(-2, 2), rng.range(-2, 2)])
    const labels = rows.map(([a, b]) => (rng.next() < 1 / (1 + Math.exp(-(2 * a! - b!))) ? 1 : 0))
    const l2 = 0.5
    const model = fitLogistic(rows, labels, { l2, iterations: 50 })
    const gradient = [0, 0, 0]
    rows.forEach((row, i) => {
      const residual = predictLogistic(model, row) - labels[i]!
      gradient[0]! += residual
      row.forEach((v, j) => (gradient[j + 1]! += (residual * (v - model.mean[j]!)) / model.scale[j]!))
    })
    model.weights.forEach((w, j) => (gradient[j + 1]! += l2 * w))
    for (const g of gradient) expect(Math.abs(g)).toBeLessThan(1e-6)
    // The signs follow the generating model.
    expect(model.weights[0]!).toBeGreaterThan(0)
    expect(model.weights[1]!).toBeLessThan(0)
  })

  it('is deterministic and refuses mismatched labels', () => {
    const rows = [[0], [1], [2], [3]]
    expect(fitLogistic(rows, [0, 0, 1, 1])).toEqual(fitLogistic(rows, [0, 0, 1, 1]))
    expect(() => fitLogistic(rows, [0, 1])).toThrow(/as many labels as rows/)
  })
})

describe('calibration from review decisions', () => {
  it('labels decisions: accepted 1, rejected and absent 0, corrected its IoU', () => {
    expect([labelFor({ kind: 'accepted' }), labelFor({ kind: 'rejected' }), labelFor({ kind: 'absent' }), labelFor({ kind: 'corrected', iou: 0.4 })]).toEqual([1, 0, 0, 0.4])
  })

  it('keeps the prior until there are enough decisions of both kinds', () => {
    const few: CalibrationDecision[] = Array.from({ length: 9 }, (_, i) => ({ signals: signals(), prior: 0.9, label: i % 2 }))
    expect(fitCalibration(few).kind).toBe('prior')
    const oneClass: CalibrationDecision[] = Array.from({ length: 30 }, () => ({ signals: signals(), prior: 0.9, label: 1 }))
    expect(fitCalibration(oneClass).kind).toBe('prior')
  })

  it('learns from a signal the prior ignores, and reports its held-out AUROC', () => {
    const rng = new Random(11)
    // The prior is noise; stability tells good from bad.
    const decisions: CalibrationDecision[] = Array.from({ length: 60 }, () => {
      const good = rng.chance(0.5)
      return { signals: signals({ stability: good ? rng.range(0.8, 1) : rng.range(0.4, 0.85) }), prior: rng.range(0.8, 0.99), label: good ? 1 : 0 }
    })
    const model = fitCalibration(decisions, { missRate: 0.05 })
    expect(model.kind).toBe('signals')
    expect(model.heldOutAuroc!).toBeGreaterThan(0.85)
    expect(model.priorAuroc!).toBeLessThan(0.7)
    const high = calibratedConfidence(model, signals({ stability: 0.97 }), 0.85)
    const low = calibratedConfidence(model, signals({ stability: 0.5 }), 0.95)
    expect(high).toBeGreaterThan(low)
    // The threshold keeps at least 95% of good decisions above it on the training rows.
    const goodScores = decisions.filter((d) => d.label === 1).map((d) => calibratedConfidence(model, d.signals, d.prior))
    expect(goodScores.filter((s) => s < model.threshold).length / goodScores.length).toBeLessThanOrEqual(0.1)
    const estimate = acceptAllEstimate(model, decisions, 0.5)
    expect(estimate.count).toBeGreaterThan(0)
    expect(estimate.expectedWrong).toBeLessThan(estimate.count * 0.5)
  })

  const noise = (rng: Random): ProposalSignals =>
    signals({ peak: rng.range(0.5, 1), peakValue: rng.range(0.5, 1), predictedIou: rng.range(0.5, 1), featureSimilarity: rng.range(0.5, 1), stability: rng.range(0.5, 1), areaFraction: rng.range(0, 0.2), areaRatio: rng.range(0.5, 2) })

  it('keeps the prior when no learned model beats it on held-out decisions, and says so', () => {
    const rng = new Random(5)
    // The prior is already a calibrated probability; the signals are noise.
    const decisions: CalibrationDecision[] = Array.from({ length: 40 }, () => {
      const p = rng.range(0.02, 0.98)
      return { signals: noise(rng), prior: p, label: rng.next() < p ? 1 : 0 }
    })
    const model = fitCalibration(decisions)
    expect(model.kind).toBe('prior')
    expect(model.reason).toMatch(/no learned model beat it on held-out decisions/)
    expect(model.heldOutAuroc).toBe(model.priorAuroc)
    expect(model.priorBrier!).toBeGreaterThan(0)
    expect(calibratedConfidence(model, decisions[0]!.signals, 0.42)).toBe(0.42)
  })

  it('rescales a prior that ranks well but is not a probability, without reordering', () => {
    const rng = new Random(6)
    const decisions: CalibrationDecision[] = Array.from({ length: 40 }, () => {
      const good = rng.chance(0.5)
      return { signals: noise(rng), prior: good ? rng.range(0.86, 0.95) : rng.range(0.8, 0.88), label: good ? 1 : 0 }
    })
    const model = fitCalibration(decisions)
    expect(['platt', 'isotonic']).toContain(model.kind)
    expect(model.heldOutLogLoss!).toBeLessThan(logLoss(decisions.map((d) => d.prior), decisions.map((d) => d.label)))
    expect(model.heldOutBrier!).toBeLessThan(model.priorBrier!)
    expect(calibratedConfidence(model, signals(), 0.81)).toBeLessThan(0.3)
    expect(calibratedConfidence(model, signals(), 0.94)).toBeGreaterThan(0.7)
    // Rescaling reads the prior only, so a record without signals is rescaled the same way.
    expect(calibratedConfidence(model, null, 0.81)).toBe(calibratedConfidence(model, signals(), 0.81))
  })
})

describe('isotonic regression', () => {
  it('pools adjacent violators into a non-decreasing step function, equal scores sharing a value', () => {
    const model = fitIsotonic([0.1, 0.2, 0.3, 0.4, 0.4, 0.5], [0, 1, 0, 1, 0, 1])
    expect(model.values).toEqual([0, 0.5, 0.5, 1])
    expect(model.bounds).toEqual([0.1, 0.3, 0.4, 0.5])
    expect(predictIsotonic(model, 0.05, 0)).toBe(0)
    expect(predictIsotonic(model, 0.35, 0)).toBe(0.5)
    expect(predictIsotonic(model, 0.9, 0)).toBe(1)
    expect(predictIsotonic(model, 0.9)).toBeLessThan(1)
    expect(() => fitIsotonic([0.1], [])).toThrow(/as many labels as scores/)
  })
})
