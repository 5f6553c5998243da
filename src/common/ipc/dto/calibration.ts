/** The review panel's calibrated-confidence data (calibration:* channels). */
export interface CalibrationHistogramInfo {
  /** Pending proposals per confidence bin; bin k covers [k/bins, (k+1)/bins). */
  readonly counts: readonly number[]
  readonly threshold: number
  readonly above: number
  readonly below: number
  /** 'prior' until enough review decisions of both kinds; then 'platt' or 'signals'. */
  readonly kind: 'prior' | 'platt' | 'signals'
  /** The model's held-out AUROC on its decisions; null while the prior is used. */
  readonly accuracy: number | null
  readonly decisions: number
  /** What "accept all at or above the threshold" would accept, and how many of those the model expects to be wrong. */
  readonly acceptAll: CalibrationAcceptAllInfo
}

export interface CalibrationAcceptAllInfo {
  readonly accepted: number
  readonly expectedWrong: number
}
