/**
 * The review queue's calibrated confidence for one category of a project: refit from the review
 * decisions stored so far, the histogram the review panel shows, and "accept all at or above X"
 * as one undo step with the number of those the model expects to be wrong.
 *
 * Edited proposals give no decision yet: the store keeps only the final mask, so the IoU between
 * the proposal and its correction is unknown here.
 */
import { calibratedConfidence, fitCalibration, type CalibrationModel, type CalibrationOptions } from '../../../common/calibration/calibrator'
import { confidenceHistogram, decisionsFrom, storedSignals, type ConfidenceHistogram } from '../../../common/calibration/reviewData'
import type { Project } from '../store/index'

/** Fits the category's model on its decisions and stores it. */
export function refitCalibration(project: Project, categoryId: number, options: Partial<CalibrationOptions> = {}): CalibrationModel {
  const model = fitCalibration(decisionsFrom(project.calibration.proposals(categoryId)), options)
  project.calibration.save(categoryId, model)
  return model
}

/** The stored model, or the prior when none was fitted. */
export function calibrationFor(project: Project, categoryId: number): CalibrationModel {
  return project.calibration.load(categoryId) ?? fitCalibration([])
}

function pending(project: Project, categoryId: number) {
  return project.calibration.proposals(categoryId).filter((proposal) => proposal.status === 'proposed')
}

/** The calibrated confidence of a stored proposal (the prior when its record lacks signals). */
export function proposalConfidence(model: CalibrationModel, proposal: { confidence: number; method: unknown }): number {
  const signals = storedSignals(proposal.method)
  return signals ? calibratedConfidence(model, signals, proposal.confidence) : proposal.confidence
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
