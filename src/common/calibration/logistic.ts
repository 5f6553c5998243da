/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS): deterministic, no learning
 * rate, converges in a handful of steps on a few dozen rows. Labels may be soft (0..1), which a
 * corrected proposal's IoU with its final mask is.
 */

export interface LogisticModel {
  /** Per-feature mean and spread used to standardise inputs before the weights apply. */
  readonly mean: readonly number[]
  readonly scale: readonly number[]
  readonly weights: readonly number[]
  readonly bias: number
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)))

export function predictLogistic(model: LogisticModel, features: readonly number[]): number {
  let z = model.bias
  for (let j = 0; j < model.weights.length; j++) z += model.weights[j]! * ((features[j]! - model.mean[j]!) / model.scale[j]!)
  return sigmoid(z)
}

/** Solves A x = b for a small symmetric positive-definite A (Gaussian elimination with pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length
  const m = a.map((row, i) => [...row, b[i]!])
  for (let col = 0; col < n; col++) {
    let pivot = col
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r
    ;[m[col], m[pivot]] = [m[pivot]!, m[col]!]
    const p = m[col]![col]!
    if (Math.abs(p) < 1e-12) continue
    for (let r = 0; r < n; r++) {
      if (r === col) continue
      const f = m[r]![col]! / p
      if (f !== 0) for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!
    }
  }
  return m.map((row, i) => (Math.abs(row[i]!) < 1e-12 ? 0 : row[n]! / row[i]!))
}

export interface LogisticOptions {
  /** L2 penalty on the standardised weights (not on the bias). */
  readonly l2: number
  readonly iterations: number
}

export const DEFAULT_LOGISTIC_OPTIONS: LogisticOptions = { l2: 1, iterations: 25 }

export function fitLogistic(rows: readonly (readonly number[])[], labels: readonly number[], options: LogisticOptions = DEFAULT_LOGISTIC_OPTIONS): LogisticModel {
  if (rows.length === 0 || rows.length !== labels.length) throw new RangeError(`fitLogistic needs as many labels as rows (got ${rows.length} rows, ${labels.length} labels)`)
  const d = rows[0]!.length
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length)
  const scale = Array.from({ length: d }, (_, j) => {
    const variance = rows.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / rows.length
    return variance > 1e-12 ? Math.sqrt(variance) : 1
  })
  const x = rows.map((r) => [1, ...r.map((v, j) => (v - mean[j]!) / scale[j]!)])
  let beta = new Array<number>(d + 1).fill(0)
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    const gradient = new Array<number>(d + 1).fill(0)
    const hessian = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0))
    for (let i = 0; i < x.length; i++) {
      const xi = x[i]!
      let z = 0
      for (let j = 0; j <= d; j++) z += beta[j]! * xi[j]!
      const p = sigmoid(z)
      const w = Math.max(p * (1 - p), 1e-9)
      for (let j = 0; j <= d; j++) {
        gradient[j]! += (p - labels[i]!) * xi[j]!
        for (let k = 0; k <= j; k++) hessian[j]![k]! += w * xi[j]! * xi[k]!
      }
    }
    for (let j = 0; j <= d; j++) for (let k = 0; k < j; k++) hessian[k]![j] = hessian[j]![k]!
    for (let j = 1; j <= d; j++) {
      gradient[j]! += options.l2 * beta[j]!
      hessian[j]![j]! += options.l2
    }
    const step = solve(hessian, gradient)
    beta = beta.map((b, j) => b - step[j]!)
    if (step.reduce((s, v) => s + Math.abs(v), 0) < 1e-8) break
  }
  return { mean, scale, weights: beta.slice(1), bias: beta[0]! }
}
