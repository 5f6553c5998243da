import { describe, expect, it } from 'vitest'
import type { ProposalSignals } from '../../../../src/common/persam/signals'
import { acceptAllAbove, previewAcceptAll, refitCalibration, reviewHistogram } from '../../../../src/main/services/calibration/reviewCalibration'
import { addImages, newProject, opaqueMask } from '../store/helpers'

const signals = (stability: number): ProposalSignals => ({ peak: 0.9, peakValue: 0.8, predictedIou: 0.9, featureSimilarity: 0.95, stability, areaFraction: 0.05, areaRatio: 1, components: 1, borderContact: 0, candidateRank: 0 })

/** 40 proposals: the engine's score is noise, stability tells good (0.9+) from bad (0.5-0.7). */
function seeded() {
  const project = newProject()
  const category = project.categories.create({ name: 'cup' })
  const images = addImages(project, 40)
  const drafts = images.map((image, i) => {
    const good = i % 2 === 0
    return { imageId: image.id, categoryId: category.id, mask: opaqueMask(image, i), status: 'proposed' as const, source: 'persam-f' as const, score: 0.8 + ((i * 7) % 10) / 100, method: { signals: signals(good ? 0.9 + (i % 5) / 100 : 0.5 + (i % 5) / 25) } }
  })
  const created = project.annotations.createMany(drafts)
  // The annotator reviewed the first 30: accepted the good ones, rejected the bad ones.
  project.annotations.setStatus(created.slice(0, 30).filter((_, i) => i % 2 === 0).map((a) => a.id), 'accepted')
  project.annotations.setStatus(created.slice(0, 30).filter((_, i) => i % 2 === 1).map((a) => a.id), 'rejected')
  return { project, categoryId: category.id, created }
}

describe('review calibration for a category', () => {
  it('refits from the stored decisions and stores the model', () => {
    const { project, categoryId } = seeded()
    const model = refitCalibration(project, categoryId)
    expect(model.decisions).toBe(30)
    expect(model.kind).toBe('signals')
    expect(model.heldOutAuroc!).toBeGreaterThan(0.9)
    expect(project.calibration.load(categoryId)).toEqual(model)
    project.close()
  })

  it('shows the pending proposals in a histogram with the threshold and the model accuracy', () => {
    const { project, categoryId } = seeded()
    const before = reviewHistogram(project, categoryId, 10)
    expect(before.kind).toBe('prior')
    expect(before.accuracy).toBeNull()
    refitCalibration(project, categoryId)
    const after = reviewHistogram(project, categoryId, 10)
    expect(after.counts.reduce((a, b) => a + b, 0)).toBe(10)
    expect(after.above + after.below).toBe(10)
    expect(after.accuracy!).toBeGreaterThan(0.9)
    // Calibrated, the five pending good ones sit high and the five bad ones low.
    expect(after.counts.slice(0, 3).reduce((a, b) => a + b, 0)).toBe(5)
    expect(after.counts.slice(7).reduce((a, b) => a + b, 0)).toBe(5)
    project.close()
  })

  it('accepts all at or above X as one undo step and says how many it expects to be wrong', () => {
    const { project, categoryId, created } = seeded()
    refitCalibration(project, categoryId)
    const preview = previewAcceptAll(project, categoryId, 0.5)
    const result = acceptAllAbove(project, categoryId, 0.5)
    expect({ accepted: result.accepted, expectedWrong: result.expectedWrong }).toEqual(preview)
    expect(result.accepted).toBe(5)
    expect(result.imageIds).toHaveLength(5)
    expect(result.expectedWrong).toBeLessThan(1)
    const pendingGood = created.slice(30).filter((_, i) => i % 2 === 0)
    for (const annotation of pendingGood) expect(project.annotations.get(annotation.id)!.status).toBe('accepted')
    project.history.undo()
    for (const annotation of pendingGood) expect(project.annotations.get(annotation.id)!.status).toBe('proposed')
    expect(() => acceptAllAbove(project, categoryId, 2)).toThrow(/threshold/)
    project.close()
  })
})
