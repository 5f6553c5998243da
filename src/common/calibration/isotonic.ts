/**
 * Isotonic regression of (soft) labels on one score by pool-adjacent-violators: the best
 * non-decreasing step function in squared error. It recalibrates the engine's confidence without
 * assuming a logistic shape, and never reorders proposals (ties aside).
 */

export interface IsotonicModel {
  /** Block upper bounds of the score, ascending; a score maps to the first block whose bound it does not exceed. */
  readonly bounds: readonly number[]
  readonly values: readonly number[]
}

export function fitIsotonic(scores: readonly number[], labels: readonly number[]): IsotonicModel {
  if (scores.length === 0 || scores.length !== labels.length) throw new RangeError(`fitIsotonic needs as many labels as scores (got ${scores.length} scores, ${labels.length} labels)`)
  const order = scores.map((score, i) => ({ score, label: labels[i]! })).sort((a, b) => a.score - b.score)
  const blocks: { sum: number; weight: number; bound: number }[] = []
  for (const { score, label } of order) {
    const last = blocks[blocks.length - 1]
    // Equal scores must share one value, or the fit would depend on input order.
    if (last && last.bound === score) {
      last.sum += label
      last.weight++
    } else blocks.push({ sum: label, weight: 1, bound: score })
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1]!
      const a = blocks[blocks.length - 2]!
      if (a.sum / a.weight <= b.sum / b.weight) break
      blocks.splice(blocks.length - 2, 2, { sum: a.sum + b.sum, weight: a.weight + b.weight, bound: b.bound })
    }
  }
  return { bounds: blocks.map((b) => b.bound), values: blocks.map((b) => b.sum / b.weight) }
}

/**
 * The fitted value for a score; kept a little inside (0, 1) with `shrink` pseudo-counts toward
 * 0.5, so one unlucky block never claims certainty.
 */
export function predictIsotonic(model: IsotonicModel, score: number, shrink = 0.02): number {
  let lo = 0
  let hi = model.bounds.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (model.bounds[mid]! < score) lo = mid + 1
    else hi = mid
  }
  const value = model.values[lo]!
  return (1 - shrink) * value + shrink * 0.5
}
