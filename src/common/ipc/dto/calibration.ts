/** The review panel's calibrated-confidence data (calibration:* channels). */
export interface CalibrationHistogramInfo {
  /** Pending proposals per confidence bin; bin k covers [k/bins, (k+1)/bins). */
  readonly counts: readonly number[]
  readonly threshold: number
  readonly above: number
  readonly below: number
  /** 'prior' until a learned model beats it on held-out decisions; then 'platt', 'isotonic' or 'signals'. */
  readonly kind: 'prior' | 'platt' | 'isotonic' | 'signals'
  /** The model's held-out AUROC on its decisions; null while the prior is used. */
  readonly accuracy: number | null
  readonly decisions: number
  /** How the confidence in use did on the decisions so far, next to the engine's own. */
  readonly report: CalibrationReport
  /** What "accept all at or above `acceptAbove`" would accept, and how many of those the model expects to be wrong. */
  readonly acceptAbove: number
  readonly acceptAll: CalibrationAcceptAllInfo
}

export interface CalibrationReport {
  /** Why this kind is in use (a sentence). */
  readonly reason: string
  readonly heldOutAuroc: number | null
  readonly priorAuroc: number | null
  readonly heldOutBrier: number | null
  readonly priorBrier: number | null
  /** Whether the review queue is ordered by this confidence (false: by the engine's). */
  readonly ordersReview: boolean
}

/** The absent threshold (on the engine's confidence, as propagation compares) that meets a miss rate on the decisions so far. */
export interface CalibrationAbsentThresholdInfo {
  readonly missRate: number
  /** Null until the category has enough decisions of both kinds. */
  readonly threshold: number | null
  readonly decisions: number
  /** Decisions on proposals whose object was there, and how many the threshold would have missed. */
  readonly present: number
  readonly missed: number
}

export interface CalibrationAcceptAllInfo {
  readonly accepted: number
  readonly expectedWrong: number
}
