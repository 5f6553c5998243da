import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeRle, maskIou, maskToPolygons, rasterizePolygons, traceContours, type BinaryMask } from '../../../src/common/mask'
import { anyMask, blobMask, ellipseMask } from './arbitraries'
import { maskOf, expectSameValues } from './fixtures'

function rasterize(polygons: number[][], mask: BinaryMask): BinaryMask {
  if (polygons.length === 0) return { width: mask.width, height: mask.height, data: new Uint8Array(mask.data.length) }
  return decodeRle(rasterizePolygons(polygons, mask.height, mask.width))
}

function expectCocoSafe(polygons: number[][]): void {
  for (const polygon of polygons) {
    expect(polygon.length % 2).toBe(0)
    expect(polygon.length).toBeGreaterThanOrEqual(6) // never 4 numbers (a box to COCO readers)
  }
}

describe('maskToPolygons', () => {
  it('traces a square as its four pixel-edge corners', () => {
    const result = maskToPolygons(maskOf(['0000', '0110', '0110', '0000']))
    expect(result.polygons).toEqual([[1, 1, 3, 1, 3, 3, 1, 3]]) // clockwise on screen, from the top-left
    expect(result).toMatchObject({ parts: 1, holes: 0, iou: 1 })
  })

  it('bridges a hole into its part with a vertical slit and restores the ring exactly', () => {
    const ring = maskOf(['11111', '10001', '10001', '11111'])
    const result = maskToPolygons(ring)
    // Outer walk clockwise from (0,0); at (1,0) a slit down to the hole's top-left (1,1), the hole
    // counter-clockwise, back up the slit, on around the outside.
    expect(result.polygons).toEqual([[0, 0, 1, 0, 1, 1, 1, 3, 4, 3, 4, 1, 1, 1, 1, 0, 5, 0, 5, 4, 0, 4]])
    expect(result).toMatchObject({ parts: 1, holes: 1, iou: 1 })
    expectSameValues(rasterize(result.polygons, ring).data, ring.data)
  })

  it('writes an island inside a hole as its own part', () => {
    const target = maskOf(['11111', '10001', '10101', '10001', '11111'])
    const result = maskToPolygons(target)
    expect(result).toMatchObject({ parts: 2, holes: 1, iou: 1 })
    expect(result.polygons[1]).toEqual([2, 2, 3, 2, 3, 3, 2, 3])
    expectSameValues(rasterize(result.polygons, target).data, target.data)
  })

  it('re-rasterizes exactly (pycocotools rule) for any mask: holes, islands in holes, diagonal touches', () => {
    fc.assert(
      fc.property(anyMask(), (mask) => {
        const result = maskToPolygons(mask)
        expectCocoSafe(result.polygons)
        expectSameValues(rasterize(result.polygons, mask).data, mask.data)
        expect(result.iou).toBe(1)
      }),
      { numRuns: 250 },
    )
  })

  it('keeps parts separate and reports the simplification loss as the real round-trip IoU', () => {
    fc.assert(
      fc.property(blobMask(80), fc.double({ min: 0.3, max: 3, noNaN: true }), (mask, tolerance) => {
        const exact = maskToPolygons(mask)
        const simplified = maskToPolygons(mask, { tolerance })
        expectCocoSafe(simplified.polygons)
        expect(simplified.parts).toBe(exact.parts)
        const points = (r: typeof exact) => r.polygons.reduce((s, p) => s + p.length, 0)
        expect(points(simplified)).toBeLessThanOrEqual(points(exact))
        expect(simplified.iou).toBe(maskIou(mask, rasterize(simplified.polygons, mask)) || (mask.data.includes(1) ? 0 : 1))
      }),
      { numRuns: 100 },
    )
  })

  it('keeps a high round-trip IoU on smooth blobs at tolerance 1', () => {
    const blob = ellipseMask(120, 90, [
      { cx: 50, cy: 45, rx: 40, ry: 30, erase: false },
      { cx: 60, cy: 40, rx: 12, ry: 9, erase: true },
    ])
    const result = maskToPolygons(blob, { tolerance: 1 })
    expect(result.parts).toBe(1)
    expect(result.holes).toBe(1)
    expect(result.iou).toBeGreaterThan(0.97)
    expect(result.polygons[0]!.length).toBeLessThan(maskToPolygons(blob).polygons[0]!.length / 3)
  })

  it("fills holes with holes: 'fill' and reports the loss", () => {
    const ring = maskOf(['1111', '1001', '1111'])
    const result = maskToPolygons(ring, { holes: 'fill' })
    expect(result.polygons).toEqual([[0, 0, 4, 0, 4, 3, 0, 3]])
    expect(result.iou).toBe(10 / 12)
  })

  it('returns no polygons and IoU 1 for an empty mask; one rectangle for a full one', () => {
    expect(maskToPolygons(maskOf(['000', '000']))).toMatchObject({ polygons: [], parts: 0, iou: 1 })
    expect(maskToPolygons(maskOf(['111', '111'])).polygons).toEqual([[0, 0, 3, 0, 3, 2, 0, 2]])
  })

  it('keeps pixels touching at a corner in one part (8-connectivity)', () => {
    const diagonal = maskOf(['10', '01'])
    const result = maskToPolygons(diagonal)
    expect(result.parts).toBe(1)
    expectSameValues(rasterize(result.polygons, diagonal).data, diagonal.data)
    expect(traceContours(maskOf(['10', '01']))).toHaveLength(1)
    expect(traceContours(maskOf(['111', '101', '111'])).map((c) => [c.isHole, c.area])).toEqual([
      [false, 9],
      [true, 1],
    ])
    expect(maskToPolygons(maskOf(['101', '000', '101'])).parts).toBe(4)
  })
})
