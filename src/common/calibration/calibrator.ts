/**
 * A confidence calibrated on the annotator's own decisions, per category. Until there are enough
 * decisions of both kinds the prior (the engine's confidence) is used as is. Then three candidates
 * are cross-validated on the decisions and the best by log-loss is kept if it beats the prior:
 *  - 'platt': a logistic curve on the prior alone (fixes the scale, keeps the order);
 *  - 'isotonic': a non-decreasing step function of the prior (fixes the scale, keeps the order);
 *  - 'signals': a logistic regression on every proposal signal plus the prior (can reorder).
 * The model reports its own held-out AUROC and picks the absent threshold that meets a chosen
 * miss rate on its out-of-fold scores.
 */
import { SIGNAL_NAMES, type ProposalSignals } from '../persam/signals'
import { fitIsotonic, predictIsotonic, type IsotonicModel } from './isotonic'
import { fitLogistic, predictLogistic, type LogisticModel } from './logistic'
import { auroc, brierScore, logLoss, thresholdForMissRate } from './metrics'

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

export type CalibrationKind = 'prior' | 'platt' | 'isotonic' | 'signals'

export interface CalibrationModel {
  readonly kind: CalibrationKind
  readonly logistic: LogisticModel | null
  readonly isotonic: IsotonicModel | null
  readonly decisions: number
  readonly good: number
  /** Out-of-fold AUROC of the kept model and of the prior, on these decisions (null until fitted). */
  readonly heldOutAuroc: number | null
  readonly priorAuroc: number | null
  readonly heldOutLogLoss: number | null
  /** Out-of-fold Brier score of the kept model and the prior's own, on these decisions. */
  readonly heldOutBrier: number | null
  readonly priorBrier: number | null
  /** Why this kind is in use, in a sentence the studio shows. */
  readonly reason: string
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

/** The object was there: accepted, or corrected from a proposal that overlapped it. */
export const isPresent = (label: number): boolean => label > 0

/** Enough decisions to fit and judge a model: a minimum count, with both good and bad ones. */
export function enoughDecisions(decisions: readonly Pick<CalibrationDecision, 'label'>[], overrides: Partial<CalibrationOptions> = {}): boolean {
  const options = { ...DEFAULT_CALIBRATION_OPTIONS, ...overrides }
  const good = decisions.filter((d) => isGood(d.label)).length
  return decisions.length >= options.minDecisions && good >= options.minPerClass && decisions.length - good >= options.minPerClass
}

const logit = (p: number): number => Math.log(Math.max(1e-4, p) / Math.max(1e-4, 1 - p))

function featuresOf(kind: CalibrationKind, signals: ProposalSignals, prior: number): number[] {
  if (kind === 'platt') return [logit(prior)]
  // A mask much larger or smaller than the reference's is suspect either way: |log ratio| is what a linear model can use.
  const sizeMismatch = Math.abs(Math.log(Math.max(1e-3, signals.areaRatio)))
  return [logit(prior), ...SIGNAL_NAMES.map((name) => (name === 'components' ? Math.log1p(signals.components) : signals[name])), sizeMismatch]
}

/** Platt and isotonic read the prior only; without signals (older records) the signals model falls back to the prior. */
export function calibratedConfidence(model: CalibrationModel, signals: ProposalSignals | null, prior: number): number {
  if (model.kind === 'isotonic' && model.isotonic) return predictIsotonic(model.isotonic, prior)
  if (model.kind === 'prior' || !model.logistic || (model.kind === 'signals' && !signals)) return prior
  if (!signals) return predictLogistic(model.logistic, [logit(prior)])
  return predictLogistic(model.logistic, featuresOf(model.kind, signals, prior))
}

type LearnedKind = Exclude<CalibrationKind, 'prior'>
const LEARNED_KINDS: readonly LearnedKind[] = ['platt', 'isotonic', 'signals']

function fitKind(kind: LearnedKind, decisions: readonly CalibrationDecision[], l2: number): Pick<CalibrationModel, 'logistic' | 'isotonic'> {
  const labels = decisions.map((d) => d.label)
  if (kind === 'isotonic') return { logistic: null, isotonic: fitIsotonic(decisions.map((d) => d.prior), labels) }
  const logistic = fitLogistic(decisions.map((d) => featuresOf(kind, d.signals, d.prior)), labels, { l2, iterations: 25 })
  // Platt rescales the engine's confidence and must not turn it upside down: a few unlucky
  // decisions can slope the wrong way, and then the base rate is all they support.
  if (kind === 'platt' && logistic.weights[0]! < 0) return { isotonic: null, logistic: { ...logistic, weights: [0], bias: logit(labels.reduce((a, b) => a + b, 0) / labels.length) } }
  return { isotonic: null, logistic }
}

/** Deterministic k-fold out-of-fold predictions (row i is in fold i mod k). */
function outOfFold(kind: LearnedKind, decisions: readonly CalibrationDecision[], folds: number, l2: number): number[] {
  const k = Math.min(folds, decisions.length)
  const predictions = new Array<number>(decisions.length).fill(0.5)
  for (let fold = 0; fold < k; fold++) {
    const fitted = { kind, ...fitKind(kind, decisions.filter((_, i) => i % k !== fold), l2) } as CalibrationModel
    decisions.forEach((d, i) => {
      if (i % k === fold) predictions[i] = calibratedConfidence(fitted, d.signals, d.prior)
    })
  }
  return predictions
}

const fixed = (value: number | null): string => (value === null ? 'n/a' : value.toFixed(3))

/**
 * Fits the candidates and keeps the one with the lowest out-of-fold log-loss, but only if it
 * beats the prior's own log-loss on the same decisions; the signals model, which can reorder the
 * review, must also rank at least as well as the prior out of fold. Otherwise the prior stays,
 * and `reason` says why.
 */
export function fitCalibration(decisions: readonly CalibrationDecision[], overrides: Partial<CalibrationOptions> = {}): CalibrationModel {
  const options = { ...DEFAULT_CALIBRATION_OPTIONS, ...overrides }
  const labels = decisions.map((d) => d.label)
  const positives = labels.map(isGood)
  const good = positives.filter(Boolean).length
  const priorScores = decisions.map((d) => d.prior)
  const priorAuroc = auroc(priorScores, positives)
  const priorLoss = decisions.length > 0 ? logLoss(priorScores, labels) : null
  const priorBrier = decisions.length > 0 ? brierScore(priorScores, labels) : null
  const base = { decisions: decisions.length, good, priorAuroc, priorBrier, missRate: options.missRate, logistic: null, isotonic: null }
  const prior = (reason: string, threshold = options.priorThreshold): CalibrationModel => ({
    ...base,
    kind: 'prior',
    heldOutAuroc: priorAuroc,
    heldOutLogLoss: priorLoss,
    heldOutBrier: priorBrier,
    reason,
    threshold,
  })
  if (decisions.length < options.minDecisions) return prior(`the engine's confidence: ${decisions.length} of ${options.minDecisions} decisions so far`)
  if (good < options.minPerClass || decisions.length - good < options.minPerClass) {
    return prior(`the engine's confidence: needs ${options.minPerClass} good and ${options.minPerClass} bad decisions (has ${good} and ${decisions.length - good})`)
  }
  const candidates = LEARNED_KINDS.map((kind) => {
    const predictions = outOfFold(kind, decisions, options.folds, options.l2)
    const fitted = fitKind(kind, decisions, options.l2)
    // A constant (a flat Platt curve, one isotonic block) would throw the engine's ranking away.
    const constant = (fitted.logistic !== null && fitted.logistic.weights.every((w) => w === 0)) || (fitted.isotonic !== null && fitted.isotonic.values.length === 1)
    return { kind, fitted, constant, predictions, loss: logLoss(predictions, labels), auroc: auroc(predictions, positives) }
  })
  const eligible = candidates.filter((c) => !c.constant && c.loss < priorLoss! && (c.kind !== 'signals' || (c.auroc ?? 0) >= (priorAuroc ?? 0)))
  if (eligible.length === 0) {
    const best = candidates.reduce((a, b) => (b.loss < a.loss ? b : a))
    const reason = `the engine's confidence: no learned model beat it on held-out decisions (best ${best.kind}: log-loss ${fixed(best.loss)} against ${fixed(priorLoss)})`
    return prior(reason, thresholdForMissRate(priorScores, labels.map(isPresent), options.missRate))
  }
  const best = eligible.reduce((a, b) => (b.loss < a.loss ? b : a))
  return {
    ...base,
    kind: best.kind,
    ...best.fitted,
    heldOutAuroc: best.auroc,
    heldOutLogLoss: best.loss,
    heldOutBrier: brierScore(best.predictions, labels),
    reason: `${best.kind}: held-out log-loss ${fixed(best.loss)} against the engine's ${fixed(priorLoss)}, AUROC ${fixed(best.auroc)} against ${fixed(priorAuroc)}`,
    threshold: thresholdForMissRate(best.predictions, labels.map(isPresent), options.missRate),
  }
}

/** One candidate fitted on every decision, without selection (for measuring what it would do). */
export function fitCandidate(kind: LearnedKind, decisions: readonly CalibrationDecision[], overrides: Partial<CalibrationOptions> = {}): CalibrationModel {
  const options = { ...DEFAULT_CALIBRATION_OPTIONS, ...overrides }
  const forced = fitCalibration(decisions, options)
  return { ...forced, kind, ...fitKind(kind, decisions, options.l2), reason: `${kind}: fitted without selection` }
}

/** The calibration reorders the review only when it can: a learned model that beat the prior. */
export const ordersReview = (model: CalibrationModel): boolean => model.kind !== 'prior'

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
