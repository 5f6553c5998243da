/**
 * The review queue's calibrated confidence for one category of a project: refit from the review
 * decisions stored so far, the histogram the review panel shows, and "accept all at or above X"
 * as one undo step with the number of those the model expects to be wrong.
 *
 * A corrected proposal's label is the IoU between the mask the engine proposed (kept by the store
 * on the first correction) and the mask the person kept.
 */
import { calibratedConfidence, enoughDecisions, fitCalibration, isPresent, ordersReview, type CalibrationModel, type CalibrationOptions } from '../../../common/calibration/calibrator'
import { thresholdForMissRate } from '../../../common/calibration/metrics'
import { confidenceHistogram, decisionsFrom, reviewLabel, storedSignals, type ConfidenceHistogram, type ReviewedProposal } from '../../../common/calibration/reviewData'
import type { CalibrationAbsentThresholdInfo } from '../../../common/ipc/dto/calibration'
import { decompressRle, rleIou } from '../../../common/mask'
import type { Project } from '../store/index'
type ProposalRow = ReturnType<Project['calibration']['proposals']>[number]

/** IoU between the proposed mask and the kept one (0 when the correction removed the mask). */
export function correctionIou(correction: NonNullable<ProposalRow['correction']>): number {
  if (correction.final === null) return 0
  const size = correction.size
  return rleIou(decompressRle({ size, counts: correction.proposed }, 'proposal_rle'), decompressRle({ size, counts: correction.final }, 'rle'))
}

function reviewed(rows: readonly ProposalRow[]): ReviewedProposal[] {
  return rows.map((row) => (row.correction ? { ...row, correctionIou: correctionIou(row.correction) } : row))
}

/**
 * Fits the category's model on its decisions, stores it, and sets the review order of its
 * pending proposals: by the calibrated confidence when a learned model beat the engine's,
 * otherwise back to the engine's.
 */
export function refitCalibration(project: Project, categoryId: number, options: Partial<CalibrationOptions> = {}): CalibrationModel {
  return refitCalibrationChanges(project, categoryId, options).model
}

/**
 * A pending proposal's stored review score is rewritten only when its calibrated confidence
 * moved by more than this: each rewrite updates the image counters, and a refit after one more
 * decision nudges every score a little without reordering the queue in any way a person sees.
 */
export const REVIEW_SCORE_TOLERANCE = 0.005

export interface CalibrationRefit {
  readonly model: CalibrationModel
  /** The stored model or any pending proposal's review score differs from before the refit. */
  readonly changed: boolean
}

/** refitCalibration, also saying whether anything the review queue or its panel shows changed. */
export function refitCalibrationChanges(project: Project, categoryId: number, options: Partial<CalibrationOptions> = {}): CalibrationRefit {
  const before = storedModelText(project, categoryId)
  const rows = project.calibration.proposals(categoryId)
  const model = fitCalibration(decisionsFrom(reviewed(rows)), options)
  project.calibration.save(categoryId, model)
  const scores = ordersReview(model) ? new Map(rows.filter((row) => row.status === 'proposed').map((row) => [row.id, proposalConfidence(model, row)])) : null
  const rescored = project.calibration.setReviewScores(categoryId, scores, REVIEW_SCORE_TOLERANCE)
  return { model, changed: rescored > 0 || storedModelText(project, categoryId) !== before }
}

/** The stored model as text to compare (a damaged one compares as different: the refit replaced it). */
function storedModelText(project: Project, categoryId: number): string | null {
  try {
    return JSON.stringify(project.calibration.load(categoryId))
  } catch {
    return 'damaged'
  }
}

/**
 * The absent threshold on the engine's confidence (what propagation compares) that would have
 * missed at most `missRate` of the proposals whose object was there, among the decisions so far.
 * Null until there are enough decisions of both kinds to fit a calibration.
 */
export function absentThresholdForMissRate(project: Project, categoryId: number, missRate: number, options: Partial<CalibrationOptions> = {}): CalibrationAbsentThresholdInfo {
  if (!(missRate >= 0 && missRate < 1)) throw new RangeError(`missRate must be at least 0 and below 1 (got ${missRate})`)
  // Signals are not needed here: the threshold applies to the engine's confidence alone.
  const decisions = reviewed(project.calibration.proposals(categoryId)).flatMap((row) => {
    const label = reviewLabel(row)
    return label === null ? [] : [{ prior: row.confidence, label }]
  })
  const present = decisions.filter((d) => isPresent(d.label))
  // Too few decisions (or of one kind only): no threshold the user could trust.
  if (!enoughDecisions(decisions, options) || present.length === 0) return { missRate, threshold: null, decisions: decisions.length, present: present.length, missed: 0 }
  const threshold = thresholdForMissRate(decisions.map((d) => d.prior), decisions.map((d) => isPresent(d.label)), missRate)
  return { missRate, threshold, decisions: decisions.length, present: present.length, missed: present.filter((d) => d.prior < threshold).length }
}

/** The stored model, or the prior when none was fitted. */
export function calibrationFor(project: Project, categoryId: number): CalibrationModel {
  return project.calibration.load(categoryId) ?? fitCalibration([])
}

function pending(project: Project, categoryId: number) {
  return project.calibration.proposals(categoryId).filter((proposal) => proposal.status === 'proposed')
}

/** The calibrated confidence of a stored proposal (records without signals: see calibratedConfidence). */
export function proposalConfidence(model: CalibrationModel, proposal: { confidence: number; method: unknown }): number {
  return calibratedConfidence(model, storedSignals(proposal.method), proposal.confidence)
}

export function reviewHistogram(project: Project, categoryId: number, bins = 20): ConfidenceHistogram {
  return confidenceHistogram(calibrationFor(project, categoryId), pending(project, categoryId), bins)
}

export interface AcceptAllResult {
  readonly accepted: number
  /** How many of them the model expects to be wrong (sum of 1 - confidence). */
  readonly expectedWrong: number
}

function proposalsAbove(project: Project, categoryId: number, threshold: number): { id: number; confidence: number }[] {
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`threshold must be from 0 to 1 (got ${threshold})`)
  const model = calibrationFor(project, categoryId)
  return pending(project, categoryId)
    .map((proposal) => ({ id: proposal.id, confidence: proposalConfidence(model, proposal) }))
    .filter((proposal) => proposal.confidence >= threshold)
}

const summary = (chosen: readonly { confidence: number }[]): AcceptAllResult => ({
  accepted: chosen.length,
  expectedWrong: chosen.reduce((sum, p) => sum + (1 - p.confidence), 0),
})

/** What "accept all at or above `threshold`" would do, without doing it. */
export function previewAcceptAll(project: Project, categoryId: number, threshold: number): AcceptAllResult {
  return summary(proposalsAbove(project, categoryId, threshold))
}

/** Accepts every pending proposal at or above `threshold` as one undo step; also says which images changed. */
export function acceptAllAbove(project: Project, categoryId: number, threshold: number): AcceptAllResult & { readonly imageIds: readonly number[] } {
  const chosen = proposalsAbove(project, categoryId, threshold)
  const updated = chosen.length > 0 ? project.annotations.setStatus(chosen.map((p) => p.id), 'accepted', `Accept ${chosen.length} at or above ${threshold.toFixed(2)}`) : []
  return { ...summary(chosen), imageIds: [...new Set(updated.map((annotation) => annotation.imageId))] }
}
