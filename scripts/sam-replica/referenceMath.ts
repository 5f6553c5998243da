/**
 * Plain-loop float64 building blocks of the replica's reference forward pass. Matrices are
 * row-major Float64Arrays with an explicit row count; images are channel-major [C, H, W].
 */
import type { AttentionWeights, Conv, Linear, Norm } from './weights'

export type Matrix = Float64Array<ArrayBuffer>

/** x [rows, inputs] -> [rows, outputs] */
export function linear(x: Matrix, rows: number, layer: Linear): Matrix {
  const { inputs, outputs, weight, bias } = layer
  const out = new Float64Array(rows * outputs)
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outputs; o++) {
      let sum = bias[o]!
      for (let i = 0; i < inputs; i++) sum += x[r * inputs + i]! * weight[o * inputs + i]!
      out[r * outputs + o] = sum
    }
  }
  return out
}

export function add(a: Matrix, b: Matrix): Matrix {
  const out = new Float64Array(a.length)
  for (let i = 0; i < a.length; i++) out[i] = a[i]! + b[i]!
  return out
}

/** a + row broadcast over every row of width `row.length`. */
export function addRow(a: Matrix, row: ArrayLike<number>): Matrix {
  const out = new Float64Array(a.length)
  for (let i = 0; i < a.length; i++) out[i] = a[i]! + row[i % row.length]!
  return out
}

export function relu(x: Matrix): Matrix {
  const out = new Float64Array(x.length)
  for (let i = 0; i < x.length; i++) out[i] = Math.max(0, x[i]!)
  return out
}

/** Over the last axis of [rows, width]. */
export function layerNorm(x: Matrix, rows: number, norm: Norm, eps: number): Matrix {
  const width = norm.weight.length
  const out = new Float64Array(x.length)
  for (let r = 0; r < rows; r++) {
    let mean = 0
    for (let c = 0; c < width; c++) mean += x[r * width + c]!
    mean /= width
    let variance = 0
    for (let c = 0; c < width; c++) variance += (x[r * width + c]! - mean) ** 2
    const scale = 1 / Math.sqrt(variance / width + eps)
    for (let c = 0; c < width; c++) out[r * width + c] = (x[r * width + c]! - mean) * scale * norm.weight[c]! + norm.bias[c]!
  }
  return out
}

/** Softmax of `values[offset .. offset + length)` in place. */
function softmaxInPlace(values: Float64Array, offset: number, length: number): void {
  let max = -Infinity
  for (let i = 0; i < length; i++) max = Math.max(max, values[offset + i]!)
  let sum = 0
  for (let i = 0; i < length; i++) sum += values[offset + i] = Math.exp(values[offset + i]! - max)
  for (let i = 0; i < length; i++) values[offset + i]! /= sum
}

/**
 * SAM's Attention: projections, heads, softmax(q k^T / sqrt(d)); with `guidance` (PerSAM's
 * attn_sim, one value per key) the probabilities get `+ guidance` and a second softmax.
 */
export function attention(q: Matrix, queries: number, k: Matrix, v: Matrix, keys: number, weights: AttentionWeights, guidance: ArrayLike<number> | null = null): Matrix {
  const qp = linear(q, queries, weights.q)
  const kp = linear(k, keys, weights.k)
  const vp = linear(v, keys, weights.v)
  const width = weights.internal
  const perHead = width / weights.heads
  const scale = 1 / Math.sqrt(perHead)
  const combined = new Float64Array(queries * width)
  const scores = new Float64Array(keys)
  for (let h = 0; h < weights.heads; h++) {
    for (let i = 0; i < queries; i++) {
      for (let j = 0; j < keys; j++) {
        let dot = 0
        for (let c = 0; c < perHead; c++) dot += qp[i * width + h * perHead + c]! * kp[j * width + h * perHead + c]!
        scores[j] = dot * scale
      }
      softmaxInPlace(scores, 0, keys)
      if (guidance) {
        for (let j = 0; j < keys; j++) scores[j]! += guidance[j]!
        softmaxInPlace(scores, 0, keys)
      }
      for (let c = 0; c < perHead; c++) {
        let sum = 0
        for (let j = 0; j < keys; j++) sum += scores[j]! * vp[j * width + h * perHead + c]!
        combined[i * width + h * perHead + c] = sum
      }
    }
  }
  return linear(combined, queries, weights.out)
}

/** erf(x) to about 1e-15: Maclaurin series near 0, Lentz continued fraction for erfc beyond. */
export function erf(x: number): number {
  const z = Math.abs(x)
  if (z < 2.5) {
    let term = z
    let sum = z
    for (let n = 1; n < 100; n++) {
      term *= (-z * z) / n
      const next = term / (2 * n + 1)
      sum += next
      if (Math.abs(next) < 1e-17 * Math.abs(sum)) break
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum
  }
  if (z > 6) return Math.sign(x)
  // erfc(z) = exp(-z^2)/sqrt(pi) * 1/(z + 1/2/(z + 1/(z + 3/2/(z + ...))))
  const tiny = 1e-300
  let f = z
  let c = z
  let d = 0
  for (let n = 1; n < 200; n++) {
    const a = n / 2
    d = z + a * d
    c = z + a / c
    d = 1 / (Math.abs(d) < tiny ? tiny : d)
    const delta = c * d
    f *= delta
    if (Math.abs(delta - 1) < 1e-16) break
  }
  const erfc = Math.exp(-z * z) / Math.sqrt(Math.PI) / f
  return Math.sign(x) * (1 - erfc)
}

export function gelu(x: Matrix): Matrix {
  const out = new Float64Array(x.length)
  for (let i = 0; i < x.length; i++) out[i] = 0.5 * x[i]! * (1 + erf(x[i]! / Math.SQRT2))
  return out
}

/** SAM's LayerNorm2d: per pixel, over the channels of [C, H*W]. */
export function layerNorm2d(x: Matrix, channels: number, pixels: number, norm: Norm, eps: number): Matrix {
  const out = new Float64Array(x.length)
  for (let p = 0; p < pixels; p++) {
    let mean = 0
    for (let c = 0; c < channels; c++) mean += x[c * pixels + p]!
    mean /= channels
    let variance = 0
    for (let c = 0; c < channels; c++) variance += (x[c * pixels + p]! - mean) ** 2
    const scale = 1 / Math.sqrt(variance / channels + eps)
    for (let c = 0; c < channels; c++) out[c * pixels + p] = (x[c * pixels + p]! - mean) * scale * norm.weight[c]! + norm.bias[c]!
  }
  return out
}

/** Conv2d, kernel = stride = conv.kernel, no padding, on [inputs, size, size]. */
export function convStrided(x: Matrix, size: number, conv: Conv): { out: Matrix; size: number } {
  const { inputs, outputs, kernel: k, weight, bias } = conv
  const outSize = size / k
  const out = new Float64Array(outputs * outSize * outSize)
  for (let o = 0; o < outputs; o++) {
    for (let y = 0; y < outSize; y++) {
      for (let xx = 0; xx < outSize; xx++) {
        let sum = bias[o]!
        for (let i = 0; i < inputs; i++) {
          for (let dy = 0; dy < k; dy++) {
            for (let dx = 0; dx < k; dx++) sum += x[(i * size + y * k + dy) * size + xx * k + dx]! * weight[((o * inputs + i) * k + dy) * k + dx]!
          }
        }
        out[(o * outSize + y) * outSize + xx] = sum
      }
    }
  }
  return { out, size: outSize }
}

/** ConvTranspose2d, kernel = stride = conv.kernel, on [inputs, size, size]; weight [in, out, k, k]. */
export function convTransposeStrided(x: Matrix, size: number, conv: Conv): { out: Matrix; size: number } {
  const { inputs, outputs, kernel: k, weight, bias } = conv
  const outSize = size * k
  const out = new Float64Array(outputs * outSize * outSize)
  for (let o = 0; o < outputs; o++) out.fill(bias[o]!, o * outSize * outSize, (o + 1) * outSize * outSize)
  for (let i = 0; i < inputs; i++) {
    for (let y = 0; y < size; y++) {
      for (let xx = 0; xx < size; xx++) {
        const value = x[(i * size + y) * size + xx]!
        for (let o = 0; o < outputs; o++) {
          for (let dy = 0; dy < k; dy++) {
            for (let dx = 0; dx < k; dx++) out[(o * outSize + y * k + dy) * outSize + xx * k + dx]! += value * weight[((i * outputs + o) * k + dy) * k + dx]!
          }
        }
      }
    }
  }
  return { out, size: outSize }
}

/** torch interpolate(mode='bilinear', align_corners=False), no antialias, one [height, width] plane. */
export function resizeBilinear(plane: Matrix, width: number, height: number, outWidth: number, outHeight: number): Matrix {
  const taps = (inSize: number, outSize: number) =>
    Array.from({ length: outSize }, (_, i) => {
      const source = Math.max(0, (inSize / outSize) * (i + 0.5) - 0.5)
      const i0 = Math.min(Math.floor(source), inSize - 1)
      const i1 = Math.min(i0 + 1, inSize - 1)
      const l1 = source - i0
      return { i0, i1, l0: 1 - l1, l1 }
    })
  const rows = taps(height, outHeight)
  const cols = taps(width, outWidth)
  const out = new Float64Array(outWidth * outHeight)
  for (let y = 0; y < outHeight; y++) {
    const r = rows[y]!
    for (let x = 0; x < outWidth; x++) {
      const c = cols[x]!
      out[y * outWidth + x] =
        r.l0 * (c.l0 * plane[r.i0 * width + c.i0]! + c.l1 * plane[r.i0 * width + c.i1]!) + r.l1 * (c.l0 * plane[r.i1 * width + c.i0]! + c.l1 * plane[r.i1 * width + c.i1]!)
    }
  }
  return out
}
