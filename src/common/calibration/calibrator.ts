/**
 * A confidence calibrated on the annotator's own decisions, per category. Until there are enough
 * decisions of both kinds the prior (the engine's confidence) is used as is. Then two candidates
 * are cross-validated and the better by log-loss is kept:
 *  - 'platt': a logistic curve on the prior alone (fixes the scale, keeps the order);
 *  - 'signals': a logistic regression on every proposal signal plus the prior (can reorder).
 * The model reports its own held-out AUROC and picks the absent threshold that meets a chosen
 * miss rate on its out-of-fold scores.
 */
import { SIGNAL_NAMES, type ProposalSignals } from '../persam/signals'
import { fitLogistic, predictLogistic, type LogisticModel } from './logistic'
import { auroc, logLoss, thresholdForMissRate } from './metrics'

export interface CalibrationDecision {
  readonly signals: ProposalSignals
  /** The engine's confidence when the proposal was made. */
  readonly prior: number
  /** 1 accepted, 0 rejected or on an image marked absent, the IoU with the final mask when corrected. */
  readonly label: number
}

export type ReviewOutcome = { readonly kind: 'accepted' } | { readonly kind: 'rejected' } | { readonly kind: 'absent' } | { readonly kind: 'corrected'; readonly iou: number }

export function labelFor(outcome: ReviewOutcome): number {
  switch (outcome.kind) {
    case 'accepted':
      return 1
    case 'rejected':
    case 'absent':
      return 0
    case 'corrected':
      return Math.min(1, Math.max(0, outcome.iou))
  }
}

export type CalibrationKind = 'prior' | 'platt' | 'signals'

export interface CalibrationModel {
  readonly kind: CalibrationKind
  readonly logistic: LogisticModel | null
  readonly decisions: number
  readonly good: number
  /** Out-of-fold AUROC of the kept model and of the prior, on these decisions (null until fitted). */
  readonly heldOutAuroc: number | null
  readonly priorAuroc: number | null
  readonly heldOutLogLoss: number | null
  /** Scores below this are treated as absent; meets `missRate` on the out-of-fold scores. */
  readonly threshold: number
  readonly missRate: number
}

export interface CalibrationOptions {
  readonly minDecisions: number
  /** Each class needs at least this many decisions. */
  readonly minPerClass: number
  readonly missRate: number
  readonly folds: number
  readonly l2: number
  /** Used until a model is fitted. */
  readonly priorThreshold: number
}

export const DEFAULT_CALIBRATION_OPTIONS: CalibrationOptions = { minDecisions: 10, minPerClass: 3, missRate: 0.05, folds: 5, l2: 1, priorThreshold: 0.78 }

/** A good proposal: accepted, or corrected only a little. */
export const isGood = (label: number): boolean => label >= 0.5

function featuresOf(kind: CalibrationKind, signals: ProposalSignals, prior: number): number[] {
  const logitPrior = Math.log(Math.max(1e-4, prior) / Math.max(1e-4, 1 - prior))
  if (kind === 'platt') return [logitPrior]
  return [logitPrior, ...SIGNAL_NAMES.map((name) => (name === 'components' ? Math.log1p(signals.components) : signals[name]))]
}

export function calibratedConfidence(model: CalibrationModel, signals: ProposalSignals, prior: number): number {
  if (model.kind === 'prior' || !model.logistic) return prior
  return predictLogistic(model.logistic, featuresOf(model.kind, signals, prior))
}

/** Deterministic k-fold out-of-fold predictions (row i is in fold i mod k). */
function outOfFold(kind: Exclude<CalibrationKind, 'prior'>, decisions: readonly CalibrationDecision[], folds: number, l2: number): number[] {
  const k = Math.min(folds, decisions.length)
  const predictions = new Array<number>(decisions.length).fill(0.5)
  for (let fold = 0; fold < k; fold++) {
    const train = decisions.filter((_, i) => i % k !== fold)
    const model = fitLogistic(
      train.map((d) => featuresOf(kind, d.signals, d.prior)),
      train.map((d) => d.label),
      { l2, iterations: 25 },
    )
    decisions.forEach((d, i) => {
      if (i % k === fold) predictions[i] = predictLogistic(model, featuresOf(kind, d.signals, d.prior))
    })
  }
  return predictions
}

export function fitCalibration(decisions: readonly CalibrationDecision[], overrides: Partial<CalibrationOptions> = {}): CalibrationModel {
  const options = { ...DEFAULT_CALIBRATION_OPTIONS, ...overrides }
  const positives = decisions.map((d) => isGood(d.label))
  const good = positives.filter(Boolean).length
  const priorScores = decisions.map((d) => d.prior)
  const priorAuroc = auroc(priorScores, positives)
  const base = { decisions: decisions.length, good, priorAuroc, missRate: options.missRate }
  if (decisions.length < options.minDecisions || good < options.minPerClass || decisions.length - good < options.minPerClass) {
    return { ...base, kind: 'prior', logistic: null, heldOutAuroc: priorAuroc, heldOutLogLoss: null, threshold: options.priorThreshold }
  }
  const labels = decisions.map((d) => d.label)
  const candidates = (['platt', 'signals'] as const).map((kind) => {
    const predictions = outOfFold(kind, decisions, options.folds, options.l2)
    return { kind, predictions, loss: logLoss(predictions, labels) }
  })
  const best = candidates.reduce((a, b) => (b.loss < a.loss ? b : a))
  const logistic = fitLogistic(
    decisions.map((d) => featuresOf(best.kind, d.signals, d.prior)),
    labels,
    { l2: options.l2, iterations: 25 },
  )
  return {
    ...base,
    kind: best.kind,
    logistic,
    heldOutAuroc: auroc(best.predictions, positives),
    heldOutLogLoss: best.loss,
    threshold: thresholdForMissRate(best.predictions, positives, options.missRate),
  }
}

/** "Accept all at or above `threshold`": how many, and how many of them the model expects to be wrong. */
export function acceptAllEstimate(model: CalibrationModel, proposals: readonly { signals: ProposalSignals; prior: number }[], threshold: number): { count: number; expectedWrong: number } {
  let count = 0
  let expectedWrong = 0
  for (const proposal of proposals) {
    const p = calibratedConfidence(model, proposal.signals, proposal.prior)
    if (p < threshold) continue
    count++
    expectedWrong += 1 - p
  }
  return { count, expectedWrong }
}
