/**
 * The target-guided attention input (attn_sim, [1,1,1,4096]): the full-resolution location map,
 * z-scored over all pixels (unbiased std), resampled to the 64x64 key grid, then a sigmoid.
 *
 * The reference stretches the H x W map over the whole 64x64 grid, but the image occupies only
 * the top-left part of the padded embedding grid, so for non-square images its attention is
 * misaligned with the keys (docs/persam-algorithm.md, section 3 and deviation 4). 'aligned' (the default) samples each key
 * cell at its own centre and gives padding cells the lowest value; for square images both modes
 * sample the same positions and agree exactly.
 */
import { cellCentre, SAM_GRID } from '../sam/geometry'
import type { LocationMap } from './locationMap'
import type { Taps } from './taps'
import { bilinearTaps } from './taps'

export type AttentionAlignment = 'aligned' | 'reference'

/** Taps from grid cells to full-resolution pixels at the cell centres; null for padding cells. */
function alignedTaps(original: number, resized: number): (readonly [number, number, number, number] | null)[] {
  const taps: (readonly [number, number, number, number] | null)[] = []
  for (let i = 0; i < SAM_GRID; i++) {
    const centre = cellCentre(i)
    if (centre > resized) {
      taps.push(null)
      continue
    }
    const src = Math.min(Math.max(0, (centre * original) / resized - 0.5), original - 1)
    const i0 = Math.floor(src)
    const i1 = Math.min(i0 + 1, original - 1)
    const l1 = src - i0
    taps.push([i0, 1 - l1, i1, l1])
  }
  return taps
}

function referenceTaps(original: number): (readonly [number, number, number, number] | null)[] {
  const taps: Taps = bilinearTaps(original, SAM_GRID)
  return Array.from({ length: SAM_GRID }, (_, i) => {
    const start = taps.offsets[i]!
    const end = taps.offsets[i + 1]!
    return end - start === 1
      ? ([taps.index[start]!, 1, taps.index[start]!, 0] as const)
      : ([taps.index[start]!, taps.weight[start]!, taps.index[start + 1]!, taps.weight[start + 1]!] as const)
  })
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x))

export function attentionSimilarity(map: LocationMap, alignment: AttentionAlignment = 'aligned'): Float32Array {
  const { originalWidth: width, originalHeight: height, resizedWidth, resizedHeight } = map.geometry
  const { mean, std } = map.moments()
  const scale = std > 0 ? 1 / std : 0
  const rows = alignment === 'aligned' ? alignedTaps(height, resizedHeight) : referenceTaps(height)
  const cols = alignment === 'aligned' ? alignedTaps(width, resizedWidth) : referenceTaps(width)
  const out = new Float32Array(SAM_GRID * SAM_GRID)
  let lowest = Infinity
  const padding: number[] = []
  for (let i = 0; i < SAM_GRID; i++) {
    const r = rows[i]
    for (let j = 0; j < SAM_GRID; j++) {
      const c = cols[j]
      if (!r || !c) {
        padding.push(i * SAM_GRID + j)
        continue
      }
      let v = r[1] * (c[1] * map.valueAt(c[0], r[0]) + (c[3] === 0 ? 0 : c[3] * map.valueAt(c[2], r[0])))
      if (r[3] !== 0) v += r[3] * (c[1] * map.valueAt(c[0], r[2]) + (c[3] === 0 ? 0 : c[3] * map.valueAt(c[2], r[2])))
      const s = sigmoid((v - mean) * scale)
      out[i * SAM_GRID + j] = s
      if (s < lowest) lowest = s
    }
  }
  for (const cell of padding) out[cell] = lowest === Infinity ? 0 : lowest
  return out
}
