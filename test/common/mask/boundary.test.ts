import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { boundaryIou, boundaryOverlap, boundaryWidth, dilateMask, erodeMask, maskBoundary, type BinaryMask } from '../../../src/common/mask'
import { anyMask, ellipseMask, maskPair } from './arbitraries'
import { maskOf, expectSameValues } from './fixtures'

/** Square erosion from the definition: every pixel of the (2r+1)^2 window set (outside = `outside`). */
function naiveErode(mask: BinaryMask, r: number, outside: number): Uint8Array {
  const out = new Uint8Array(mask.data.length)
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      let all = 1
      for (let dy = -r; dy <= r && all; dy++) {
        for (let dx = -r; dx <= r && all; dx++) {
          const xx = x + dx
          const yy = y + dy
          const v = xx < 0 || yy < 0 || xx >= mask.width || yy >= mask.height ? outside : mask.data[yy * mask.width + xx]!
          if (v === 0) all = 0
        }
      }
      out[y * mask.width + x] = all
    }
  }
  return out
}

function naiveDilate(mask: BinaryMask, r: number): Uint8Array {
  const out = new Uint8Array(mask.data.length)
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      let any = 0
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const xx = x + dx
          const yy = y + dy
          if (xx >= 0 && yy >= 0 && xx < mask.width && yy < mask.height && mask.data[yy * mask.width + xx]) any = 1
        }
      }
      out[y * mask.width + x] = any
    }
  }
  return out
}

describe('erosion and dilation', () => {
  it('erode like a (2r+1)^2 square window, with the image border as background or foreground', () => {
    fc.assert(
      fc.property(anyMask(), fc.integer({ min: 0, max: 4 }), fc.constantFrom<0 | 1>(0, 1), (mask, r, outside) => {
        expectSameValues(erodeMask(mask, r, outside).data, naiveErode(mask, r, outside))
      }),
      { numRuns: 150 },
    )
  })

  it('dilate like a (2r+1)^2 square window', () => {
    fc.assert(
      fc.property(anyMask(), fc.integer({ min: 0, max: 4 }), (mask, r) => {
        expectSameValues(dilateMask(mask, r).data, naiveDilate(mask, r))
      }),
      { numRuns: 100 },
    )
  })
})

describe('boundary IoU', () => {
  it('uses round(0.02 * diagonal), at least 1, ties to even', () => {
    expect(boundaryWidth(640, 480)).toBe(16) // diagonal 800
    expect(boundaryWidth(30, 40)).toBe(1) // diagonal 50 -> 1.0
    expect(boundaryWidth(3, 4)).toBe(1) // 0.1 -> clamped to 1
    expect(boundaryWidth(3, 4, 0.5)).toBe(2) // 2.5 -> 2 (half to even)
    expect(boundaryWidth(3, 4, 0.7)).toBe(4) // 3.5 -> 4
  })

  it('bands a mask by its inner boundary, including where the image border cuts it', () => {
    const mask = maskOf(['11111', '11111', '11111', '11111', '00000'])
    // d = 1 for a 5x5 image: only (1..3, 1..2) survive the erosion.
    expect(Array.from(maskBoundary(mask).data)).toEqual([1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0])
  })

  it('is 1 for identical masks, symmetric, within [0, 1] and pooled from its counts', () => {
    fc.assert(
      fc.property(maskPair(), ([a, b]) => {
        const value = boundaryIou(a, b)
        expect(value).toBeGreaterThanOrEqual(0)
        expect(value).toBeLessThanOrEqual(1)
        expect(boundaryIou(b, a)).toBe(value)
        const { intersection, union } = boundaryOverlap(a, b)
        expect(value).toBe(union === 0 ? 0 : intersection / union)
        if (a.data.includes(1)) expect(boundaryIou(a, a)).toBe(1)
      }),
      { numRuns: 100 },
    )
  })

  it('punishes a boundary shift that mask IoU barely sees', () => {
    const gt = ellipseMask(200, 200, [{ cx: 100, cy: 100, rx: 80, ry: 80, erase: false }])
    const shifted = ellipseMask(200, 200, [{ cx: 104, cy: 100, rx: 80, ry: 80, erase: false }])
    // d = round(0.02 * 282.8) = 6 pixels; a 4-pixel shift leaves little band overlap.
    expect(boundaryIou(gt, shifted)).toBeLessThan(0.7)
    expect(boundaryIou(gt, shifted)).toBeGreaterThan(0.3)
  })
})
