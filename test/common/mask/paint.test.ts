import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createMask, maskArea, paintDisc, paintStroke, subtractMask, unionMasks } from '../../../src/common/mask'
import { maskOf, expectSameValues } from './fixtures'

describe('brush and eraser strokes', () => {
  it('paints the pixels whose centres lie within the radius', () => {
    // Centre on the corner shared by pixels (1,1),(2,1),(1,2),(2,2): radius 1 reaches those four only.
    const disc = paintDisc(createMask(4, 4), { x: 2, y: 2 }, 1)
    expect(Array.from(disc.data)).toEqual([0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0])
    // A radius of 0.5 around a pixel centre paints exactly that pixel.
    expect(maskArea(paintDisc(createMask(5, 5), { x: 2.5, y: 2.5 }, 0.5))).toBe(1)
  })

  it('approaches pi r^2 for a large disc and leaves the input untouched', () => {
    const blank = createMask(200, 200)
    const disc = paintDisc(blank, { x: 100, y: 100 }, 40)
    expect(Math.abs(maskArea(disc) - Math.PI * 1600) / (Math.PI * 1600)).toBeLessThan(0.01)
    expect(maskArea(blank)).toBe(0)
  })

  it('covers a straight stroke as a capsule and clips at the image border', () => {
    const stroke = paintStroke(createMask(10, 4), [{ x: -3, y: 2 }, { x: 7, y: 2 }], 1)
    expect(Array.from(stroke.data)).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      1, 1, 1, 1, 1, 1, 1, 1, 0, 0, // column 7's centre (7.5, 1.5) is 0.71 from the end point
      1, 1, 1, 1, 1, 1, 1, 1, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ])
  })

  it('erases with value 0, and stroke-then-union equals painting with 1', () => {
    const full = maskOf(['1111', '1111', '1111'])
    const erased = paintStroke(full, [{ x: 0, y: 1.5 }, { x: 4, y: 1.5 }], 0.5, 0)
    expect(Array.from(erased.data)).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1])
    fc.assert(
      fc.property(
        fc.array(fc.record({ x: fc.double({ min: -5, max: 35, noNaN: true }), y: fc.double({ min: -5, max: 25, noNaN: true }) }), { minLength: 1, maxLength: 6 }),
        fc.double({ min: 0, max: 6, noNaN: true }),
        (points, radius) => {
          const base = paintDisc(createMask(30, 20), { x: 10, y: 10 }, 5)
          const stroke = paintStroke(createMask(30, 20), points, radius)
          expectSameValues(paintStroke(base, points, radius, 1).data, unionMasks(base, stroke).data)
          expectSameValues(paintStroke(base, points, radius, 0).data, subtractMask(base, stroke).data)
        },
      ),
      { numRuns: 60 },
    )
  })

  it('rejects bad radii and points', () => {
    expect(() => paintDisc(createMask(3, 3), { x: 1, y: 1 }, -1)).toThrow(/radius must be a finite number >= 0, got -1/)
    expect(() => paintStroke(createMask(3, 3), [{ x: 1, y: Number.NaN }], 1)).toThrow(/stroke point 0 must have finite x and y/)
    expect(() => paintStroke(createMask(3, 3), [], 1)).toThrow(/stroke has no points/)
  })
})
