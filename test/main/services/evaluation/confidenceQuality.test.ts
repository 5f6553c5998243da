import { describe, expect, it } from 'vitest'
import { formatReport } from '../../../../src/cli/evaluate'
import { confidenceQuality, type EvalReport, type ImageScore } from '../../../../src/main/services/evaluation/persegEval'

const image = (stem: string, iou: number, confidence: number, expectedInstances: number, absent = false): ImageScore => ({ stem, iou, confidence, expectedInstances, absent, instances: absent ? 0 : 1, seconds: 0 })

describe('confidence quality in the eval report', () => {
  const images = [
    image('01', 0.9, 0.95, 1),
    image('02', 0.7, 0.6, 1),
    image('03', 0.2, 0.7, 1), // present but a poor mask: bad
    image('04', 0, 0.5, 0, true), // absent, marked absent: bad
    image('05', 0, 0.4, 1, true), // present, missed: bad
  ]
  const quality = confidenceQuality(images, { images: 1, markedAbsent: 1 }, 1)

  it('ranks good images (present, IoU >= 0.5) against the rest', () => {
    // Good: 0.95, 0.6. Bad: 0.7, 0.5, 0.4. Pairs won: 3 + 2 = 5 of 6.
    expect(quality.auroc).toBeCloseTo(5 / 6, 10)
    expect(quality.absentRate).toBe(1)
    expect(quality.missedRate).toBeCloseTo(1 / 4, 10)
  })

  it('is printed by eval', () => {
    const report = { method: 'persam', modelId: 'm', options: { method: 'persam' }, miou: 0.5, mbiou: 0.4, objects: [], secondsPerImage: 0.1, absentTargets: { images: 1, markedAbsent: 1 }, twoInstanceImages: { images: 0, withTwoMasks: 0 }, missedTargets: 1, skippedObjects: [], confidenceQuality: quality } satisfies EvalReport
    expect(formatReport(report)).toContain('confidence AUROC (good = IoU >= 0.5): 0.833; absent rate 100.0%; missed rate 25.0%')
  })
})
