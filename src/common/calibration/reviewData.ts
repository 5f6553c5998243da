/**
 * From what the store keeps about proposals to what the calibrator and the review panel need:
 * the signals read back from a proposal's `method` JSON, review decisions from annotation
 * statuses, and the confidence histogram the studio shows with its threshold.
 */
import type { AnnotationStatus } from '../ipc/dto/annotation'
import { SIGNAL_NAMES, type ProposalSignals } from '../persam/signals'
import type { CalibrationReport } from '../ipc/dto/calibration'
import { calibratedConfidence, labelFor, ordersReview, type CalibrationDecision, type CalibrationModel } from './calibrator'

/**
 * The signals stored with a proposal, or null when the record predates some of them (the
 * calibrator needs every signal; such proposals keep the prior).
 */
export function storedSignals(method: unknown): ProposalSignals | null {
  if (typeof method !== 'object' || method === null) return null
  const signals = (method as { signals?: unknown }).signals
  if (typeof signals !== 'object' || signals === null) return null
  const record = signals as Record<string, unknown>
  for (const name of SIGNAL_NAMES) if (typeof record[name] !== 'number' || !Number.isFinite(record[name])) return null
  return record as unknown as ProposalSignals
}

export interface ReviewedProposal {
  readonly status: AnnotationStatus
  /** The engine's confidence when proposed. */
  readonly confidence: number
  readonly method: unknown
  /** For 'edited': IoU between the proposed mask and the final one (unknown: no decision). */
  readonly correctionIou?: number
}

/** The label of a reviewed proposal (null: no decision yet, or a correction whose IoU is unknown). */
export function reviewLabel(proposal: ReviewedProposal): number | null {
  switch (proposal.status) {
    case 'accepted':
      return labelFor({ kind: 'accepted' })
    case 'rejected':
      return labelFor({ kind: 'rejected' })
    case 'absent':
      return labelFor({ kind: 'absent' })
    case 'edited':
      return proposal.correctionIou === undefined ? null : labelFor({ kind: 'corrected', iou: proposal.correctionIou })
    case 'proposed':
      return null
  }
}

/** Decisions from reviewed proposals; still-proposed ones and those without full signals are left out. */
export function decisionsFrom(proposals: readonly ReviewedProposal[]): CalibrationDecision[] {
  const decisions: CalibrationDecision[] = []
  for (const proposal of proposals) {
    const signals = storedSignals(proposal.method)
    const label = reviewLabel(proposal)
    if (signals && label !== null) decisions.push({ signals, prior: proposal.confidence, label })
  }
  return decisions
}

export interface ConfidenceHistogram {
  /** Counts per bin; bin k covers [k/bins, (k+1)/bins), the last one includes 1. */
  readonly counts: readonly number[]
  readonly threshold: number
  readonly above: number
  readonly below: number
  readonly kind: CalibrationModel['kind']
  /** The model's held-out AUROC on the decisions it was fitted on (null before it is fitted). */
  readonly accuracy: number | null
  readonly decisions: number
  readonly report: CalibrationReport
}

export function calibrationReport(model: CalibrationModel): CalibrationReport {
  return {
    reason: model.reason,
    heldOutAuroc: model.heldOutAuroc,
    priorAuroc: model.priorAuroc,
    heldOutBrier: model.heldOutBrier,
    priorBrier: model.priorBrier,
    ordersReview: ordersReview(model),
  }
}

/** The review panel's histogram of (calibrated) confidences over pending proposals. */
export function confidenceHistogram(model: CalibrationModel, proposals: readonly { confidence: number; method: unknown }[], bins = 20): ConfidenceHistogram {
  if (!(Number.isInteger(bins) && bins >= 1 && bins <= 1000)) throw new RangeError(`bins must be a whole number from 1 to 1000 (got ${bins})`)
  const counts = new Array<number>(bins).fill(0)
  let above = 0
  for (const proposal of proposals) {
    const score = calibratedConfidence(model, storedSignals(proposal.method), proposal.confidence)
    counts[Math.min(bins - 1, Math.max(0, Math.floor(score * bins)))]!++
    if (score >= model.threshold) above++
  }
  return { counts, threshold: model.threshold, above, below: proposals.length - above, kind: model.kind, accuracy: model.kind === 'prior' ? null : model.heldOutAuroc, decisions: model.decisions, report: calibrationReport(model) }
}
