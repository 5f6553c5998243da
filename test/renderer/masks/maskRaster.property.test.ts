import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createMask, decodeRle, encodeRle, rleBbox, type BinaryMask } from '../../../src/common/mask'
import { rasterizeRuns, runsBounds } from '../../../src/renderer/src/masks/maskRaster'
import { RunIndex } from '../../../src/renderer/src/masks/runIndex'
import { RunsCache } from '../../../src/renderer/src/masks/RunsCache'
import { decodeCocoRuns } from '../../../src/renderer/src/masks/cocoRuns'
import { maskToRle } from '../helpers/fakeMasks'

/** Random masks: a few rectangles and single pixels on a small canvas (holes and islands included). */
const masks = fc
  .record({
    width: fc.integer({ min: 1, max: 40 }),
    height: fc.integer({ min: 1, max: 40 }),
    rects: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat(), fc.boolean()), { maxLength: 6 }),
  })
  .map(({ width, height, rects }) => {
    const mask = createMask(width, height)
    for (const [a, b, c, d, set] of rects) {
      const x0 = a % width
      const y0 = b % height
      const x1 = Math.min(width, x0 + 1 + (c % width))
      const y1 = Math.min(height, y0 + 1 + (d % height))
      for (let y = y0; y < y1; y++) mask.data.fill(set ? 1 : 0, y * width + x0, y * width + x1)
    }
    return mask
  })

function pixel(mask: BinaryMask, x: number, y: number): number {
  return mask.data[y * mask.width + x]!
}

describe('mask display maths against the mask core', () => {
  it('bounds match rleBbox, and the full-scale raster is exactly the decoded crop', () => {
    fc.assert(
      fc.property(masks, (mask) => {
        const rle = encodeRle(mask)
        const bounds = runsBounds(rle.counts, mask.height)
        const [bx, by, bw, bh] = rleBbox(rle)
        if (bw === 0) {
          expect(bounds).toBeNull()
          expect(rasterizeRuns(rle.counts, mask.height, 1)).toBeNull()
          return
        }
        expect(bounds).toEqual({ x: bx, y: by, width: bw, height: bh })
        const raster = rasterizeRuns(rle.counts, mask.height, 1)!
        const decoded = decodeRle(rle)
        for (let v = 0; v < raster.rows; v++) {
          for (let u = 0; u < raster.columns; u++) expect(raster.data[v * raster.columns + u]).toBe(pixel(decoded, bx + u, by + v))
        }
      }),
    )
  })

  it('a scaled raster shows the nearest source pixel', () => {
    fc.assert(
      fc.property(masks, fc.double({ min: 0.05, max: 1, noNaN: true }), (mask, scale) => {
        const rle = encodeRle(mask)
        const raster = rasterizeRuns(rle.counts, mask.height, scale)
        if (!raster) return
        expect(raster.columns).toBe(Math.max(1, Math.ceil(raster.width * scale - 1e-9)))
        for (let v = 0; v < raster.rows; v++) {
          for (let u = 0; u < raster.columns; u++) {
            const x = raster.x + Math.min(raster.width - 1, Math.floor((u + 0.5) / scale))
            const y = raster.y + Math.min(raster.height - 1, Math.floor((v + 0.5) / scale))
            expect(raster.data[v * raster.columns + u]).toBe(pixel(mask, x, y))
          }
        }
      }),
    )
  })

  it('point-in-mask agrees with the decoded mask everywhere', () => {
    fc.assert(
      fc.property(masks, (mask) => {
        const index = new RunIndex(encodeRle(mask).counts, mask.height, mask.width)
        for (let y = 0; y < mask.height; y++) for (let x = 0; x < mask.width; x++) expect(index.contains(x, y)).toBe(pixel(mask, x, y) === 1)
      }),
    )
  })

  it('decodes each RLE string once, and rejects a malformed one without throwing from the hit test', () => {
    const cache = new RunsCache(decodeCocoRuns)
    const mask = createMask(6, 4)
    mask.data.fill(1, 6 + 1, 6 + 4)
    const rle = maskToRle(mask)
    const annotation = { mask: rle } as Parameters<typeof cache.contains>[0]
    expect(cache.contains(annotation, 2, 1)).toBe(true)
    expect(cache.contains(annotation, 2, 2)).toBe(false)
    expect(cache.runs(rle)).toEqual(encodeRle(mask).counts)
    expect(cache.decodeCount).toBe(1)
    const broken = { mask: { size: [4, 6] as const, counts: '!!' } } as Parameters<typeof cache.contains>[0]
    expect(cache.contains(broken, 0, 0)).toBe(false)
    expect(() => cache.runs(broken.mask!)).toThrow(/mask/)
  })
})
