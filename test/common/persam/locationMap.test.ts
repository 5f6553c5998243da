import { describe, expect, it } from 'vitest'
import { attentionSimilarity } from '../../../src/common/persam/attention'
import { LocationMap } from '../../../src/common/persam/locationMap'
import { bilinearTaps, composeTaps } from '../../../src/common/persam/taps'
import { geometryOf, naiveFullMap, smoothGrid, torchBilinear } from './naive'

const GEOMETRIES = [geometryOf(300, 300), geometryOf(400, 250), geometryOf(257, 513), geometryOf(1500, 1100), geometryOf(64, 48)]

function naiveExtreme(map: Float64Array, kind: 'max' | 'min', exclude?: Uint8Array): number {
  let best = -1
  for (let i = 0; i < map.length; i++) {
    if (exclude?.[i]) continue
    if (best < 0 || (kind === 'max' ? map[i]! > map[best]! : map[i]! < map[best]!)) best = i
  }
  return best
}

describe('bilinear taps', () => {
  it('samples the two centre pixels of each 16-pixel block when going from 1024 to 64', () => {
    const taps = bilinearTaps(1024, 64)
    for (let i = 0; i < 64; i++) {
      const start = taps.offsets[i]!
      expect([taps.index[start], taps.index[start + 1]]).toEqual([16 * i + 7, 16 * i + 8])
      expect([taps.weight[start], taps.weight[start + 1]]).toEqual([0.5, 0.5])
    }
  })

  it('matches hand-computed weights for 4 -> 8 upsampling (edge clamped)', () => {
    const taps = bilinearTaps(4, 8)
    // output 0: src = max(0, 0.5*0.5-0.5) = 0 -> pixel 0 only; output 1: src 0.25 -> 0.75/0.25 of 0/1
    expect(Array.from(taps.index.slice(taps.offsets[0]!, taps.offsets[1]!))).toEqual([0])
    expect(Array.from(taps.weight.slice(taps.offsets[1]!, taps.offsets[2]!))).toEqual([0.75, 0.25])
    // output 7: src = 3.25 -> clamped to pixel 3 only
    expect(Array.from(taps.index.slice(taps.offsets[7]!, taps.offsets[8]!))).toEqual([3])
  })

  it('composes to the same result as two successive resizes', () => {
    const signal = Float64Array.from({ length: 13 }, (_, i) => Math.sin(i * 1.7) + i * 0.1)
    const composed = composeTaps(bilinearTaps(40, 29), bilinearTaps(13, 40))
    const direct = torchBilinear(torchBilinear(signal, 1, 13, 1, 40), 1, 40, 1, 29)
    for (let i = 0; i < 29; i++) {
      let v = 0
      for (let k = composed.offsets[i]!; k < composed.offsets[i + 1]!; k++) v += composed.weight[k]! * signal[composed.index[k]!]!
      expect(v).toBeCloseTo(direct[i]!, 12)
    }
  })
})

describe('location map without materialisation', () => {
  for (const [n, geometry] of GEOMETRIES.entries()) {
    const label = `${geometry.originalWidth}x${geometry.originalHeight}`
    const grid = smoothGrid(100 + n)
    const map = new LocationMap(grid, geometry)
    const full = naiveFullMap(grid, geometry)

    it(`evaluates every pixel exactly (${label})`, () => {
      let worst = 0
      for (let y = 0; y < geometry.originalHeight; y += 7) {
        for (let x = 0; x < geometry.originalWidth; x += 5) worst = Math.max(worst, Math.abs(map.valueAt(x, y) - full[y * geometry.originalWidth + x]!))
      }
      expect(worst).toBeLessThan(1e-12)
    })

    it(`finds the same positive and negative points as argmax/argmin (${label})`, () => {
      for (const kind of ['max', 'min'] as const) {
        const found = map.extreme(kind)!
        const expected = naiveExtreme(full, kind)
        expect(found.y * geometry.originalWidth + found.x).toBe(expected)
        expect(found.value).toBeCloseTo(full[expected]!, 12)
      }
    })

    it(`respects excluded pixels (${label})`, () => {
      const first = map.extreme('max')!
      const exclude = new Uint8Array(geometry.originalWidth * geometry.originalHeight)
      const radius = Math.ceil(Math.max(geometry.originalWidth, geometry.originalHeight) / 10)
      for (let y = Math.max(0, first.y - radius); y < Math.min(geometry.originalHeight, first.y + radius); y++) {
        for (let x = Math.max(0, first.x - radius); x < Math.min(geometry.originalWidth, first.x + radius); x++) exclude[y * geometry.originalWidth + x] = 1
      }
      const second = map.extreme('max', exclude)!
      expect(second.y * geometry.originalWidth + second.x).toBe(naiveExtreme(full, 'max', exclude))
    })

    it(`computes mean and unbiased std in closed form (${label})`, () => {
      const count = full.length
      const mean = full.reduce((s, v) => s + v, 0) / count
      const std = Math.sqrt(full.reduce((s, v) => s + (v - mean) ** 2, 0) / (count - 1))
      const moments = map.moments()
      expect(moments.mean).toBeCloseTo(mean, 10)
      expect(moments.std).toBeCloseTo(std, 10)
    })

    it(`builds attn_sim as the reference does (${label})`, () => {
      const count = full.length
      const mean = full.reduce((s, v) => s + v, 0) / count
      const std = Math.sqrt(full.reduce((s, v) => s + (v - mean) ** 2, 0) / (count - 1))
      const z = full.map((v) => (v - mean) / std)
      const expected = torchBilinear(z, geometry.originalHeight, geometry.originalWidth, 64, 64).map((v) => 1 / (1 + Math.exp(-v)))
      const reference = attentionSimilarity(map, 'reference')
      for (let i = 0; i < 4096; i++) expect(reference[i]).toBeCloseTo(expected[i]!, 5)
      const aligned = attentionSimilarity(map, 'aligned')
      if (geometry.originalWidth === geometry.originalHeight) {
        for (let i = 0; i < 4096; i++) expect(aligned[i]).toBeCloseTo(reference[i]!, 6)
      }
    })
  }

  it('gives padding cells the lowest attention when aligned on a landscape image', () => {
    const geometry = geometryOf(400, 200)
    const attention = attentionSimilarity(new LocationMap(smoothGrid(9), geometry), 'aligned')
    const validRows = Math.floor((geometry.resizedHeight - 8) / 16) + 1
    const lowest = Math.min(...attention)
    for (let i = validRows; i < 64; i++) for (let j = 0; j < 64; j++) expect(attention[i * 64 + j]).toBe(lowest)
    // Rows inside the image carry the map's structure, not a constant.
    expect(new Set(Array.from(attention.slice(0, 64 * validRows))).size).toBeGreaterThan(100)
  })
})
