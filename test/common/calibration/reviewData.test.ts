import { describe, expect, it } from 'vitest'
import { fitCalibration, type CalibrationModel } from '../../../src/common/calibration/calibrator'
import { confidenceHistogram, decisionsFrom, storedSignals } from '../../../src/common/calibration/reviewData'
import type { ProposalSignals } from '../../../src/common/persam/signals'

const signals: ProposalSignals = { peak: 0.9, peakValue: 0.8, predictedIou: 0.9, featureSimilarity: 0.95, stability: 0.9, areaFraction: 0.05, areaRatio: 1, components: 1, borderContact: 0, candidateRank: 0 }
const method = { method: 'persam-f', signals }

describe('review data for calibration', () => {
  it('reads stored signals back, refusing records that predate some of them', () => {
    expect(storedSignals(method)).toEqual(signals)
    expect(storedSignals({ signals: { peak: 1, predictedIou: 1, featureSimilarity: 1 } })).toBeNull()
    expect(storedSignals({ signals: { ...signals, stability: 'high' } })).toBeNull()
    expect(storedSignals(null)).toBeNull()
  })

  it('turns statuses into labels; pending and unknown corrections give no decision', () => {
    const decisions = decisionsFrom([
      { status: 'accepted', confidence: 0.9, method },
      { status: 'rejected', confidence: 0.8, method },
      { status: 'absent', confidence: 0.7, method },
      { status: 'edited', confidence: 0.85, method, correctionIou: 0.6 },
      { status: 'edited', confidence: 0.85, method },
      { status: 'proposed', confidence: 0.95, method },
      { status: 'accepted', confidence: 0.95, method: { signals: {} } },
    ])
    expect(decisions.map((d) => [d.label, d.prior])).toEqual([
      [1, 0.9],
      [0, 0.8],
      [0, 0.7],
      [0.6, 0.85],
    ])
  })

  it('bins confidences and counts them against the threshold', () => {
    const model: CalibrationModel = fitCalibration([])
    expect(model.kind).toBe('prior')
    const histogram = confidenceHistogram(model, [0.05, 0.5, 0.79, 0.8, 1].map((confidence) => ({ confidence, method })), 10)
    expect(histogram.counts).toEqual([1, 0, 0, 0, 0, 1, 0, 1, 1, 1])
    expect([histogram.threshold, histogram.above, histogram.below, histogram.accuracy]).toEqual([0.78, 3, 2, null])
    expect(() => confidenceHistogram(model, [], 0)).toThrow(/bins/)
  })
})
