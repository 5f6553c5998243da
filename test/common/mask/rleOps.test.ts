import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  cocoRle,
  cropMask,
  decodeRle,
  encodeRle,
  intersectMasks,
  invertMask,
  invertRle,
  maskIou,
  maskOverlap,
  mergeRles,
  pasteMask,
  rleIou,
  rleIouMatrix,
  rleOverlap,
  subtractMask,
  unionMasks,
  type BinaryMask,
} from '../../../src/common/mask'
import { anyMask, maskPair } from './arbitraries'
import { maskOf, expectSameValues } from './fixtures'

const pixelwise = (a: BinaryMask, b: BinaryMask, op: (p: number, q: number) => number): Uint8Array => a.data.map((p, i) => op(p, b.data[i]!))

describe('set operations on runs agree with per-pixel logic', () => {
  it('merges union and intersection like OR and AND of the pixels', () => {
    fc.assert(
      fc.property(maskPair(), ([a, b]) => {
        const ra = encodeRle(a)
        const rb = encodeRle(b)
        expectSameValues(decodeRle(mergeRles([ra, rb], 'union')).data, pixelwise(a, b, (p, q) => p | q))
        expectSameValues(decodeRle(mergeRles([ra, rb], 'intersection')).data, pixelwise(a, b, (p, q) => p & q))
        // Merging canonical RLEs gives the canonical encoding of the result.
        expect(Array.from(mergeRles([ra, rb]).counts)).toEqual(Array.from(encodeRle(unionMasks(a, b)).counts))
      }),
      { numRuns: 200 },
    )
  })

  it('counts overlap on runs like on pixels, and inverts runs like pixels', () => {
    fc.assert(
      fc.property(maskPair(), ([a, b]) => {
        expect(rleOverlap(encodeRle(a), encodeRle(b))).toEqual(maskOverlap(a, b))
        expectSameValues(decodeRle(invertRle(encodeRle(a))).data, invertMask(a).data)
      }),
      { numRuns: 200 },
    )
  })

  it('has a symmetric IoU in [0, 1], equal to the pixel IoU, 1 for identical non-empty masks', () => {
    fc.assert(
      fc.property(maskPair(), ([a, b]) => {
        const ra = encodeRle(a)
        const rb = encodeRle(b)
        const iou = rleIou(ra, rb)
        expect(iou).toBeGreaterThanOrEqual(0)
        expect(iou).toBeLessThanOrEqual(1)
        expect(rleIou(rb, ra)).toBe(iou)
        expect(iou).toBe(maskIou(a, b))
        expect(maskIou(b, a)).toBe(iou)
        const area = a.data.reduce((s, v) => s + v, 0)
        expect(rleIou(ra, ra)).toBe(area > 0 ? 1 : 0)
      }),
      { numRuns: 200 },
    )
  })

  it('uses the detection area as denominator against a crowd ground truth', () => {
    fc.assert(
      fc.property(maskPair(), ([dt, gt]) => {
        const { intersection } = maskOverlap(dt, gt)
        const dtArea = dt.data.reduce((s, v) => s + v, 0)
        const crowd = rleIou(encodeRle(dt), encodeRle(gt), true)
        expect(crowd).toBe(intersection === 0 ? 0 : intersection / dtArea)
        expect(crowd).toBeGreaterThanOrEqual(rleIou(encodeRle(dt), encodeRle(gt)))
      }),
      { numRuns: 150 },
    )
  })

  it('lays out the IoU matrix as [detection][groundTruth]', () => {
    const small = encodeRle(maskOf(['110', '000']))
    const big = encodeRle(maskOf(['111', '111']))
    const empty = encodeRle(maskOf(['000', '000']))
    expect(rleIouMatrix([small, big], [big, empty], [true, false])).toEqual([
      [1, 0],
      [1, 0],
    ])
    expect(rleIouMatrix([small], [big])).toEqual([[2 / 6]])
  })

  it('merges three masks left to right and returns a single one unchanged', () => {
    const a = cocoRle(1, 6, [1, 1, 4])
    const b = cocoRle(1, 6, [3, 1, 2])
    const c = cocoRle(1, 6, [0, 2, 4])
    expect(Array.from(mergeRles([a, b, c]).counts)).toEqual([0, 2, 1, 1, 2])
    expect(Array.from(mergeRles([a, b, c], 'intersection').counts)).toEqual([6])
    expect(Array.from(mergeRles([cocoRle(1, 6, [2, 0, 4])]).counts)).toEqual([2, 0, 4])
  })
})

describe('mask helpers for the editor', () => {
  it('unions, intersects and subtracts pixel by pixel', () => {
    fc.assert(
      fc.property(maskPair(), ([a, b]) => {
        expectSameValues(unionMasks(a, b).data, pixelwise(a, b, (p, q) => p | q))
        expectSameValues(intersectMasks(a, b).data, pixelwise(a, b, (p, q) => p & q))
        expectSameValues(subtractMask(a, b).data, pixelwise(a, b, (p, q) => (q === 1 ? 0 : p)))
      }),
      { numRuns: 100 },
    )
  })

  it('crops and pastes back to the original', () => {
    fc.assert(
      fc.property(anyMask(), fc.nat(), fc.nat(), fc.nat(), fc.nat(), (mask, a, b, c, d) => {
        const x = a % mask.width
        const y = b % mask.height
        const w = 1 + (c % (mask.width - x))
        const h = 1 + (d % (mask.height - y))
        const crop = cropMask(mask, [x, y, w, h])
        expect(crop.width).toBe(w)
        for (let r = 0; r < h; r++) for (let q = 0; q < w; q++) expect(crop.data[r * w + q]).toBe(mask.data[(y + r) * mask.width + x + q])
        expectSameValues(pasteMask(mask, crop, x, y).data, mask.data)
      }),
      { numRuns: 60 },
    )
    expect(() => cropMask(maskOf(['01', '10']), [1, 1, 2, 1])).toThrow(/box \[1, 1, 2, 1\] must be integers/)
  })
})
