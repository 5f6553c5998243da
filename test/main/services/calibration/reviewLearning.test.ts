/**
 * What the review queue learns from and what it changes: a corrected proposal keeps the engine's
 * mask (its label is the IoU with the kept mask, through undo and redo), the review order follows
 * the calibrated confidence once a learned model beats the engine's, and the absent threshold for
 * a chosen miss rate.
 */
import { describe, expect, it } from 'vitest'
import { createMask, type BinaryMask } from '../../../../src/common/mask'
import type { ProposalSignals } from '../../../../src/common/persam/signals'
import { absentThresholdForMissRate, refitCalibration } from '../../../../src/main/services/calibration/reviewCalibration'
import { storedMaskFromBinary, type Project } from '../../../../src/main/services/store/index'
import { addImages, maintainedTotals, newProject, recountedTotals } from '../store/helpers'

const signals = (stability: number): ProposalSignals => ({ peak: 0.9, peakValue: 0.8, predictedIou: 0.9, featureSimilarity: 0.95, stability, areaFraction: 0.05, areaRatio: 1, components: 1, borderContact: 0, candidateRank: 0 })

/** A filled rectangle on the 64x48 test images. */
function box(x0: number, y0: number, x1: number, y1: number): BinaryMask {
  const mask = createMask(64, 48)
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) mask.data[y * 64 + x] = 1
  return mask
}

function proposalOn(project: Project, imageId: number, categoryId: number, score: number, stability = 0.9) {
  return project.annotations.create({ imageId, categoryId, mask: storedMaskFromBinary(box(0, 0, 20, 20)), status: 'proposed', source: 'persam-f', score, method: { signals: signals(stability) } })
}

describe('a corrected proposal', () => {
  it('keeps the engine mask and method on its first correction, through undo and redo', () => {
    const project = newProject()
    const category = project.categories.create({ name: 'cup' })
    const [image] = addImages(project, 1)
    const proposal = proposalOn(project, image!.id, category.id, 0.8)
    // A correction as the studio makes it: new mask, new method, status 'edited'.
    project.annotations.update(proposal.id, { mask: storedMaskFromBinary(box(0, 0, 20, 10)), method: { prompt: 'sam' }, status: 'edited' }, 'Correct mask')
    project.annotations.update(proposal.id, { mask: storedMaskFromBinary(box(0, 0, 20, 12)) }, 'Brush stroke')
    const [row] = project.calibration.proposals(category.id)
    expect(row!.status).toBe('edited')
    expect(row!.method).toEqual({ signals: signals(0.9) })
    expect(row!.correction!.proposed).toBe(proposal.mask!.counts)
    // Label: IoU of the 20x20 proposal with the 20x12 mask kept.
    expect(refitCalibration(project, category.id).decisions).toBe(1)

    project.history.undo()
    project.history.undo()
    const undone = project.calibration.proposals(category.id)[0]!
    expect(undone).toMatchObject({ status: 'proposed', correction: null, method: { signals: signals(0.9) } })
    expect(project.db.prepare('SELECT proposal_rle, proposal_method FROM annotations WHERE id = ?').get(proposal.id)).toEqual({ proposal_rle: null, proposal_method: null })
    project.history.redo()
    expect(project.calibration.proposals(category.id)[0]!.correction!.proposed).toBe(proposal.mask!.counts)
    project.close()
  })

  it('is labelled with the IoU between the proposal and the kept mask', async () => {
    const { decisionsFrom } = await import('../../../../src/common/calibration/reviewData')
    const { correctionIou } = await import('../../../../src/main/services/calibration/reviewCalibration')
    const project = newProject()
    const category = project.categories.create({ name: 'cup' })
    const [image] = addImages(project, 1)
    const proposal = proposalOn(project, image!.id, category.id, 0.8)
    project.annotations.update(proposal.id, { mask: storedMaskFromBinary(box(0, 0, 20, 12)), method: { prompt: 'sam' }, status: 'edited' })
    const [row] = project.calibration.proposals(category.id)
    expect(correctionIou(row!.correction!)).toBeCloseTo(240 / 400, 10)
    expect(decisionsFrom([{ ...row!, correctionIou: correctionIou(row!.correction!) }])[0]!.label).toBeCloseTo(0.6, 10)
    project.close()
  })

  it('does not keep anything for a hand-made annotation', () => {
    const project = newProject()
    const category = project.categories.create({ name: 'cup' })
    const [image] = addImages(project, 1)
    const manual = project.annotations.create({ imageId: image!.id, categoryId: category.id, mask: storedMaskFromBinary(box(0, 0, 5, 5)), status: 'accepted', source: 'manual' })
    project.annotations.update(manual.id, { mask: storedMaskFromBinary(box(0, 0, 6, 6)), status: 'edited' })
    expect(project.db.prepare('SELECT proposal_rle FROM annotations WHERE id = ?').get(manual.id)).toEqual({ proposal_rle: null })
    project.close()
  })
})

/**
 * 40 images with one proposal each. The engine's score runs against the truth (good proposals
 * score low); stability tells them apart. The first 30 are reviewed.
 */
function misleadingEngine() {
  const project = newProject()
  const category = project.categories.create({ name: 'cup' })
  const images = addImages(project, 40)
  const proposals = images.map((image, i) => {
    const good = i % 2 === 0
    return proposalOn(project, image.id, category.id, good ? 0.5 + (i % 7) / 100 : 0.6 + (i % 7) / 100, good ? 0.92 + (i % 5) / 100 : 0.5 + (i % 5) / 25)
  })
  project.annotations.setStatus(proposals.slice(0, 30).filter((_, i) => i % 2 === 0).map((p) => p.id), 'accepted')
  project.annotations.setStatus(proposals.slice(0, 30).filter((_, i) => i % 2 === 1).map((p) => p.id), 'rejected')
  return { project, categoryId: category.id, images, proposals }
}

const reviewOrder = (project: Project): number[] => project.images.page({ offset: 0, limit: 100, state: 'to-review', order: 'review' }).items.map((item) => item.id)

describe('the review order', () => {
  it('follows the calibrated confidence once a learned model beats the engine, least confident first', () => {
    const { project, categoryId, images } = misleadingEngine()
    const pending = images.slice(30)
    const badFirst = pending.filter((_, i) => i % 2 === 1).map((image) => image.id)
    const goodFirst = pending.filter((_, i) => i % 2 === 0).map((image) => image.id)
    // The engine puts the good proposals first (they score low).
    expect(reviewOrder(project).slice(0, 5).sort()).toEqual(goodFirst.sort())
    const model = refitCalibration(project, categoryId)
    expect(model.kind).toBe('signals')
    expect(model.reason).toMatch(/^signals: held-out log-loss/)
    // Now the bad ones (low calibrated confidence) come first, and the per-category list agrees.
    expect(reviewOrder(project).slice(0, 5).sort()).toEqual(badFirst.sort())
    const perCategory = project.images.page({ offset: 0, limit: 100, categoryId, state: 'to-review', order: 'review' }).items.map((item) => item.id)
    expect(perCategory).toEqual(reviewOrder(project))
    expect(maintainedTotals(project)).toEqual(recountedTotals(project))
    project.close()
  })

  it('stays on the engine confidence while the prior is kept, and goes back to it when a refit keeps the prior', () => {
    const { project, categoryId, proposals } = misleadingEngine()
    const engineOrder = reviewOrder(project)
    refitCalibration(project, categoryId)
    expect(reviewOrder(project)).not.toEqual(engineOrder)
    // Undo the review of all but 4 decisions: too few to fit, so the order goes back to the engine's.
    project.history.undo()
    refitCalibration(project, categoryId, { minDecisions: 20 })
    expect(project.calibration.reviewScore(proposals[39]!.id)).toBeNull()
    const pending = proposals.filter((p) => project.annotations.get(p.id)!.status === 'proposed')
    const byEngineScore = [...pending].sort((a, b) => a.score! - b.score! || a.imageId - b.imageId).map((p) => p.imageId)
    expect(pending).toHaveLength(25)
    expect(reviewOrder(project)).toEqual(byEngineScore)
    expect(maintainedTotals(project)).toEqual(recountedTotals(project))
    project.close()
  })

  it('uses the index when ordering by review score', () => {
    const { project, categoryId } = misleadingEngine()
    refitCalibration(project, categoryId)
    const plan = project.db
      .prepare("EXPLAIN QUERY PLAN SELECT image_id FROM image_categories WHERE category_id = ? AND state = 'to-review' ORDER BY coalesce(min_score, 1e308), image_id LIMIT 10")
      .all(categoryId) as { detail: string }[]
    expect(plan.map((row) => row.detail).join(' ')).toMatch(/USING (COVERING )?INDEX image_categories_by_state/)
    project.close()
  })
})

describe('the absent threshold for a miss rate', () => {
  it('is null until there are enough decisions, then misses at most the chosen share of present objects', () => {
    const project = newProject()
    const category = project.categories.create({ name: 'cup' })
    const images = addImages(project, 40)
    // Present objects score 0.55..0.94, absent ones 0.3..0.69: they overlap.
    const proposals = images.map((image, i) => proposalOn(project, image.id, category.id, i % 2 === 0 ? 0.55 + i / 100 : 0.3 + i / 100))
    expect(absentThresholdForMissRate(project, category.id, 0.1).threshold).toBeNull()
    project.annotations.setStatus(proposals.filter((_, i) => i % 2 === 0).map((p) => p.id), 'accepted')
    project.annotations.setStatus(proposals.filter((_, i) => i % 2 === 1).map((p) => p.id), 'absent')
    const strict = absentThresholdForMissRate(project, category.id, 0)
    const loose = absentThresholdForMissRate(project, category.id, 0.2)
    expect(strict).toMatchObject({ threshold: 0.55, missed: 0, present: 20, decisions: 40 })
    expect(loose.missed).toBe(4)
    expect(loose.threshold!).toBeCloseTo(0.63, 10)
    expect(() => absentThresholdForMissRate(project, category.id, 1)).toThrow(/missRate/)
    project.close()
  })

  it('needs no signals: proposals stored without them count too', () => {
    const project = newProject()
    const category = project.categories.create({ name: 'cup' })
    const images = addImages(project, 12)
    const proposals = images.map((image, i) =>
      project.annotations.create({ imageId: image.id, categoryId: category.id, mask: storedMaskFromBinary(box(0, 0, 5, 5)), status: 'proposed', source: 'persam', score: i < 6 ? 0.7 + i / 100 : 0.2 }),
    )
    project.annotations.setStatus(proposals.slice(0, 6).map((p) => p.id), 'accepted')
    project.annotations.setStatus(proposals.slice(6).map((p) => p.id), 'rejected')
    expect(absentThresholdForMissRate(project, category.id, 0.05)).toEqual({ missRate: 0.05, threshold: 0.7, decisions: 12, present: 6, missed: 0 })
    project.close()
  })
})

describe('a refit', () => {
  it('says whether the stored model or the review scores changed', async () => {
    const { refitCalibrationChanges } = await import('../../../../src/main/services/calibration/reviewCalibration')
    const { project, categoryId } = misleadingEngine()
    expect(refitCalibrationChanges(project, categoryId).changed).toBe(true)
    // The same decisions again: the fit is deterministic, nothing to announce.
    expect(refitCalibrationChanges(project, categoryId).changed).toBe(false)
    project.close()
  })

  it('keeps a stored review score within the tolerance and rewrites one beyond it', () => {
    const { project, categoryId, proposals } = misleadingEngine()
    refitCalibration(project, categoryId)
    const pending = proposals.slice(30)
    const stored = new Map(pending.map((p) => [p.id, project.calibration.reviewScore(p.id)!]))
    const moved = pending[0]!.id
    const before = stored.get(moved)!
    expect(project.calibration.setReviewScores(categoryId, new Map(stored).set(moved, before + 0.004), 0.005)).toBe(0)
    expect(project.calibration.reviewScore(moved)).toBe(before)
    expect(project.calibration.setReviewScores(categoryId, new Map(stored).set(moved, before + 0.01), 0.005)).toBe(1)
    expect(project.calibration.reviewScore(moved)).toBeCloseTo(before + 0.01, 12)
    expect(maintainedTotals(project)).toEqual(recountedTotals(project))
    project.close()
  })
})
