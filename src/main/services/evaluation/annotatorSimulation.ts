/**
 * A simulated annotator working down the review queue, to measure whether a confidence learned
 * from review decisions beats the engine's own. The annotator accepts a proposal whose IoU with
 * the ground truth is at least `acceptIou`, corrects it otherwise (the correction is the ground
 * truth, so the soft label is the proposal's IoU), and marks absent images absent (label 0).
 *
 * Decisions arrive in a seeded random order. After each checkpoint (10, 20, 50 decisions) a
 * calibration is fitted on the decisions so far and judged on the same held-out proposals (those
 * after the last checkpoint), next to the prior on those proposals.
 */
import { calibratedConfidence, fitCalibration, fitCandidate, labelFor, type CalibrationDecision, type CalibrationKind } from '../../../common/calibration/calibrator'
import { auroc } from '../../../common/calibration/metrics'
import { Random } from '../../../common/synthetic/random'
import type { CollectedProposal } from './proposalCollection'

export interface SimulationOptions {
  readonly checkpoints: readonly number[]
  /** The annotator accepts at or above this IoU with the ground truth. */
  readonly acceptIou: number
  /** A proposal counts as good for AUROC at or above this IoU. */
  readonly goodIou: number
  readonly missRate: number
  /** "Accept all at or above" this calibrated confidence. */
  readonly acceptAbove: number
  /** The engine's fixed absent threshold, for comparison. */
  readonly priorThreshold: number
  readonly seed: number
}

export const DEFAULT_SIMULATION_OPTIONS: SimulationOptions = { checkpoints: [10, 20, 50], acceptIou: 0.8, goodIou: 0.5, missRate: 0.05, acceptAbove: 0.9, priorThreshold: 0.78, seed: 1 }

export interface Verdicts {
  /** Absent images whose proposal falls below the threshold (left empty). */
  readonly absentEmpty: number
  readonly absentImages: number
  /** Present images whose proposal stays (given a mask). */
  readonly presentMasked: number
  readonly presentImages: number
}

export interface CheckpointResult {
  readonly decisions: number
  readonly kind: CalibrationKind
  /** The model's own cross-validated AUROC on its decisions (what the studio would show). */
  readonly selfReportedAuroc: number | null
  readonly learnedAuroc: number | null
  /** Held-out AUROC of the signals model fitted on the same decisions without selection (null before enough decisions): what learning could have done. */
  readonly signalsAuroc: number | null
  readonly threshold: number
  readonly verdicts: Verdicts
  /**
   * Proposals at or above `acceptAbove`: how many, how many the annotator would accept (IoU >=
   * acceptIou), the model's estimate (sum of its probabilities) and the sum of the labels it was
   * trained to predict (soft: a corrected proposal counts its IoU).
   */
  readonly acceptAll: { readonly count: number; readonly accepted: number; readonly expectedAccepted: number; readonly labelSum: number }
}

export interface SimulationResult {
  readonly proposals: number
  readonly heldOut: number
  readonly priorAuroc: number | null
  readonly priorVerdicts: Verdicts
  readonly checkpoints: readonly CheckpointResult[]
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const rng = new Random(seed)
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

export function simulatedLabel(proposal: CollectedProposal, acceptIou: number): number {
  if (!proposal.present) return labelFor({ kind: 'absent' })
  return proposal.iou >= acceptIou ? labelFor({ kind: 'accepted' }) : labelFor({ kind: 'corrected', iou: proposal.iou })
}

function verdicts(proposals: readonly CollectedProposal[], scores: readonly number[], threshold: number): Verdicts {
  let absentEmpty = 0
  let absentImages = 0
  let presentMasked = 0
  let presentImages = 0
  proposals.forEach((proposal, i) => {
    if (proposal.present) {
      presentImages++
      if (scores[i]! >= threshold) presentMasked++
    } else {
      absentImages++
      if (scores[i]! < threshold) absentEmpty++
    }
  })
  return { absentEmpty, absentImages, presentMasked, presentImages }
}

export function simulateAnnotator(proposals: readonly CollectedProposal[], overrides: Partial<SimulationOptions> = {}): SimulationResult {
  const options = { ...DEFAULT_SIMULATION_OPTIONS, ...overrides }
  const last = Math.max(...options.checkpoints)
  if (proposals.length <= last) throw new RangeError(`the simulation needs more than ${last} proposals (got ${proposals.length})`)
  const order = shuffled(proposals, options.seed)
  const heldOut = order.slice(last)
  const good = heldOut.map((p) => p.present && p.iou >= options.goodIou)
  const priorScores = heldOut.map((p) => p.prior)
  const decisions: CalibrationDecision[] = order.map((p) => ({ signals: p.signals, prior: p.prior, label: simulatedLabel(p, options.acceptIou) }))
  const checkpoints = options.checkpoints.map((n): CheckpointResult => {
    const model = fitCalibration(decisions.slice(0, n), { missRate: options.missRate, priorThreshold: options.priorThreshold })
    const scores = heldOut.map((p) => calibratedConfidence(model, p.signals, p.prior))
    const signalsModel = model.decisions >= 10 && model.good >= 3 && model.decisions - model.good >= 3 ? fitCandidate('signals', decisions.slice(0, n)) : null
    let count = 0
    let accepted = 0
    let expectedAccepted = 0
    let labelSum = 0
    scores.forEach((score, i) => {
      if (score < options.acceptAbove) return
      count++
      expectedAccepted += score
      labelSum += simulatedLabel(heldOut[i]!, options.acceptIou)
      if (heldOut[i]!.present && heldOut[i]!.iou >= options.acceptIou) accepted++
    })
    return {
      decisions: n,
      kind: model.kind,
      selfReportedAuroc: model.heldOutAuroc,
      learnedAuroc: auroc(scores, good),
      signalsAuroc: signalsModel ? auroc(heldOut.map((p) => calibratedConfidence(signalsModel, p.signals, p.prior)), good) : null,
      threshold: model.threshold,
      verdicts: verdicts(heldOut, scores, model.threshold),
      acceptAll: { count, accepted, expectedAccepted, labelSum },
    }
  })
  return {
    proposals: proposals.length,
    heldOut: heldOut.length,
    priorAuroc: auroc(priorScores, good),
    priorVerdicts: verdicts(heldOut, priorScores, options.priorThreshold),
    checkpoints,
  }
}

const fixed = (value: number | null, digits = 3): string => (value === null ? 'n/a' : value.toFixed(digits))
const share = (a: number, b: number): string => `${a}/${b}`

export function formatSimulationTable(results: readonly { recipe: string; result: SimulationResult }[], acceptAbove = DEFAULT_SIMULATION_OPTIONS.acceptAbove): string {
  const lines = [
    `| recipe | decisions | confidence in use | held-out AUROC: in use / engine (signals model, unselected) | self-reported AUROC | absent threshold | absent images left empty | present images given a mask | accept all >= ${acceptAbove}: count: precision (IoU >= 0.8), mean label, estimate |`,
    '|---|---|---|---|---|---|---|---|---|',
  ]
  for (const { recipe, result } of results) {
    const pv = result.priorVerdicts
    lines.push(`| ${recipe} (${result.proposals} proposals, ${result.heldOut} held out) | 0 | engine | ${fixed(result.priorAuroc)} | | 0.78 (fixed) | ${share(pv.absentEmpty, pv.absentImages)} | ${share(pv.presentMasked, pv.presentImages)} | |`)
    for (const c of result.checkpoints) {
      const v = c.verdicts
      const a = c.acceptAll
      const precision = a.count > 0 ? `${a.count}: ${fixed(a.accepted / a.count, 2)}, ${fixed(a.labelSum / a.count, 2)}, ${fixed(a.expectedAccepted / a.count, 2)}` : '0'
      lines.push(
        `| | ${c.decisions} | ${c.kind === 'prior' ? 'engine' : c.kind} | ${fixed(c.learnedAuroc)} / ${fixed(result.priorAuroc)} (${fixed(c.signalsAuroc)}) | ${fixed(c.selfReportedAuroc)} | ${fixed(c.threshold)} | ${share(v.absentEmpty, v.absentImages)} | ${share(v.presentMasked, v.presentImages)} | ${precision} |`,
      )
    }
  }
  return lines.join('\n')
}
