/** Scores for a confidence: ranking quality (AUROC), log-loss, and a threshold for a chosen miss rate. */

/**
 * Area under the ROC curve: the chance a random positive scores above a random negative (ties
 * count half). Null when one class is missing.
 */
export function auroc(scores: readonly number[], positives: readonly boolean[]): number | null {
  const order = scores.map((score, i) => ({ score, positive: positives[i]! })).sort((a, b) => a.score - b.score)
  let positiveCount = 0
  let rankSum = 0
  for (let i = 0; i < order.length; ) {
    let j = i
    while (j < order.length && order[j]!.score === order[i]!.score) j++
    const averageRank = (i + 1 + j) / 2
    for (let k = i; k < j; k++) {
      if (!order[k]!.positive) continue
      positiveCount++
      rankSum += averageRank
    }
    i = j
  }
  const negativeCount = order.length - positiveCount
  if (positiveCount === 0 || negativeCount === 0) return null
  return (rankSum - (positiveCount * (positiveCount + 1)) / 2) / (positiveCount * negativeCount)
}

/** Mean cross-entropy of probabilities against (possibly soft) labels, clipped away from 0 and 1. */
export function logLoss(probabilities: readonly number[], labels: readonly number[]): number {
  let sum = 0
  for (let i = 0; i < probabilities.length; i++) {
    const p = Math.min(1 - 1e-6, Math.max(1e-6, probabilities[i]!))
    sum -= labels[i]! * Math.log(p) + (1 - labels[i]!) * Math.log(1 - p)
  }
  return sum / Math.max(1, probabilities.length)
}

/**
 * The highest threshold that keeps at most `missRate` of the positives below it (a proposal
 * scoring below is treated as absent). With no positives, 0.5.
 */
export function thresholdForMissRate(scores: readonly number[], positives: readonly boolean[], missRate: number): number {
  const positive = scores.filter((_, i) => positives[i]).sort((a, b) => a - b)
  if (positive.length === 0) return 0.5
  const allowed = Math.floor(missRate * positive.length)
  // Everything strictly below positive[allowed] is missed: exactly `allowed` positives at most.
  return positive[allowed]!
}

/** Mean squared difference between probabilities and (possibly soft) labels. */
export function brierScore(probabilities: readonly number[], labels: readonly number[]): number {
  let sum = 0
  for (let i = 0; i < probabilities.length; i++) sum += (probabilities[i]! - labels[i]!) ** 2
  return sum / Math.max(1, probabilities.length)
}
