/**
 * Sparse bilinear resampling weights, exactly as torch's interpolate(mode="bilinear",
 * align_corners=False) computes them (no antialiasing), and their composition. PerSAM's
 * location map goes through three such resizes (64 -> 256 -> 1024, crop, -> H x W); composing
 * the per-axis weights lets us evaluate any pixel of the full-resolution map exactly without
 * materialising it.
 */

/** For each output index: the input indices it reads and their weights (weights sum to 1). */
export interface Taps {
  readonly outSize: number
  /** Start of output i's entries in `index`/`weight` is offsets[i]; end is offsets[i + 1]. */
  readonly offsets: Int32Array
  readonly index: Int32Array
  readonly weight: Float64Array
}

/** torch bilinear taps for resizing `inSize` samples to `outSize` along one axis. */
export function bilinearTaps(inSize: number, outSize: number): Taps {
  const offsets = new Int32Array(outSize + 1)
  const index = new Int32Array(outSize * 2)
  const weight = new Float64Array(outSize * 2)
  const scale = inSize / outSize
  let n = 0
  for (let i = 0; i < outSize; i++) {
    offsets[i] = n
    const src = Math.max(0, scale * (i + 0.5) - 0.5)
    const i0 = Math.min(Math.floor(src), inSize - 1)
    const i1 = Math.min(i0 + 1, inSize - 1)
    const l1 = src - i0
    if (i1 === i0 || l1 === 0) {
      index[n] = i0
      weight[n++] = 1
    } else {
      index[n] = i0
      weight[n++] = 1 - l1
      index[n] = i1
      weight[n++] = l1
    }
  }
  offsets[outSize] = n
  return { outSize, offsets, index: index.slice(0, n), weight: weight.slice(0, n) }
}

/** Restricts taps to the first `count` outputs (a crop from index 0). */
export function cropTaps(taps: Taps, count: number): Taps {
  if (count > taps.outSize) throw new RangeError(`cannot crop ${taps.outSize} outputs to ${count}`)
  const end = taps.offsets[count]!
  return { outSize: count, offsets: taps.offsets.slice(0, count + 1), index: taps.index.slice(0, end), weight: taps.weight.slice(0, end) }
}

/** `outer` reads the outputs of `inner`: the result maps outer's outputs straight to inner's inputs. */
export function composeTaps(outer: Taps, inner: Taps): Taps {
  const offsets = new Int32Array(outer.outSize + 1)
  const index: number[] = []
  const weight: number[] = []
  const merged = new Map<number, number>()
  for (let i = 0; i < outer.outSize; i++) {
    offsets[i] = index.length
    merged.clear()
    for (let k = outer.offsets[i]!; k < outer.offsets[i + 1]!; k++) {
      const mid = outer.index[k]!
      const w = outer.weight[k]!
      for (let m = inner.offsets[mid]!; m < inner.offsets[mid + 1]!; m++) {
        const src = inner.index[m]!
        merged.set(src, (merged.get(src) ?? 0) + w * inner.weight[m]!)
      }
    }
    for (const src of [...merged.keys()].sort((a, b) => a - b)) {
      index.push(src)
      weight.push(merged.get(src)!)
    }
  }
  offsets[outer.outSize] = index.length
  return { outSize: outer.outSize, offsets, index: Int32Array.from(index), weight: Float64Array.from(weight) }
}

/** Sum over outputs of each input's weight: how much each input contributes to the whole axis. */
export function inputMass(taps: Taps, inSize: number): Float64Array {
  const mass = new Float64Array(inSize)
  for (let k = 0; k < taps.index.length; k++) mass[taps.index[k]!]! += taps.weight[k]!
  return mass
}

/** The Gram matrix G[a][b] = sum over outputs of w_a * w_b (banded, stored dense: inSize is 64). */
export function gramMatrix(taps: Taps, inSize: number): Float64Array {
  const gram = new Float64Array(inSize * inSize)
  for (let i = 0; i < taps.outSize; i++) {
    const start = taps.offsets[i]!
    const end = taps.offsets[i + 1]!
    for (let p = start; p < end; p++) {
      for (let q = start; q < end; q++) gram[taps.index[p]! * inSize + taps.index[q]!]! += taps.weight[p]! * taps.weight[q]!
    }
  }
  return gram
}
