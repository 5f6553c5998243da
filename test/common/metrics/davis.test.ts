/**
 * J and F on masks small enough to work out by hand. In a 10x10 image the boundary tolerance is
 * ceil(0.008 * 14.1) = 1 pixel, so the dilation disk is the 4-neighbour cross.
 */
import { describe, expect, it } from 'vitest'
import { boundaryMap, boundaryScore, boundaryTolerance, contourAccuracy, dilateByDisk, frameScore, regionSimilarity, sequenceScore } from '../../../src/common/metrics/davis'
import type { BinaryMask } from '../../../src/common/mask'

function mask(width: number, height: number, pixels: readonly (readonly [number, number])[] = []): BinaryMask {
  const data = new Uint8Array(width * height)
  for (const [x, y] of pixels) data[y * width + x] = 1
  return { width, height, data }
}

function square(width: number, height: number, x0: number, y0: number, x1: number, y1: number): BinaryMask {
  const pixels: [number, number][] = []
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) pixels.push([x, y])
  return mask(width, height, pixels)
}

const setPixels = (m: BinaryMask): string[] => {
  const out: string[] = []
  for (let y = 0; y < m.height; y++) for (let x = 0; x < m.width; x++) if (m.data[y * m.width + x]) out.push(`${x},${y}`)
  return out
}

describe('J (region similarity)', () => {
  it('is 1 for two empty masks and 0 when only one is empty', () => {
    expect(regionSimilarity(mask(4, 4), mask(4, 4))).toBe(1)
    expect(regionSimilarity(mask(4, 4, [[1, 1]]), mask(4, 4))).toBe(0)
    expect(regionSimilarity(mask(4, 4), mask(4, 4, [[1, 1]]))).toBe(0)
  })

  it('is intersection over union: a 4x4 square against itself shifted 3 pixels right gives 4/28', () => {
    expect(regionSimilarity(square(10, 10, 2, 2, 5, 5), square(10, 10, 5, 2, 8, 5))).toBeCloseTo(4 / 28, 12)
  })

  it('refuses masks of different sizes', () => {
    expect(() => regionSimilarity(mask(4, 4), mask(5, 4))).toThrow(/sizes differ/)
  })
})

describe('seg2bmap boundary', () => {
  it('marks a one-pixel object and its upper-left neighbours (the pixels whose right, lower or diagonal neighbour differs)', () => {
    expect(setPixels(boundaryMap(mask(5, 5, [[2, 2]])))).toEqual(['1,1', '2,1', '1,2', '2,2'])
  })

  it('marks a square as the ring from one pixel up-left of it to its own last row and column', () => {
    // Square x,y in [2,5]: ring x,y in [1,5], perimeter of a 5x5 rectangle = 16 pixels.
    const ring = boundaryMap(square(10, 10, 2, 2, 5, 5))
    const expected: string[] = []
    for (let y = 1; y <= 5; y++) for (let x = 1; x <= 5; x++) if (x === 1 || x === 5 || y === 1 || y === 5) expected.push(`${x},${y}`)
    expect(setPixels(ring)).toEqual(expected)
  })

  it('draws no boundary along the image border', () => {
    expect(setPixels(boundaryMap(square(3, 3, 0, 0, 2, 2)))).toEqual([])
    // Object in the bottom-right corner: only the pixels above and left of it are boundary.
    expect(setPixels(boundaryMap(mask(3, 3, [[2, 2]])))).toEqual(['1,1', '2,1', '1,2'])
  })
})

describe('F (boundary F-measure)', () => {
  it('uses ceil(0.008 * diagonal) pixels of tolerance', () => {
    expect(boundaryTolerance(10, 10)).toBe(1)
    expect(boundaryTolerance(854, 480)).toBe(8) // 0.008 * 979.6 = 7.84
    expect(boundaryTolerance(3840, 2160)).toBe(36) // 0.008 * 4405.7 = 35.2
  })

  it('dilates with a disk (x^2 + y^2 <= r^2)', () => {
    const dilated = dilateByDisk(mask(5, 5, [[2, 2]]), 2)
    expect(setPixels(dilated)).toEqual(['2,0', '1,1', '2,1', '3,1', '0,2', '1,2', '2,2', '3,2', '4,2', '1,3', '2,3', '3,3', '2,4'])
  })

  it('is 1 for two empty masks and 0 when only one is empty', () => {
    expect(contourAccuracy(mask(10, 10), mask(10, 10))).toBe(1)
    expect(contourAccuracy(square(10, 10, 2, 2, 5, 5), mask(10, 10))).toBe(0)
    expect(contourAccuracy(mask(10, 10), square(10, 10, 2, 2, 5, 5))).toBe(0)
  })

  it('forgives a one-pixel object moved by one pixel (J = 0, F = 1)', () => {
    const truth = mask(5, 5, [[2, 2]])
    const moved = mask(5, 5, [[3, 2]])
    expect(regionSimilarity(truth, moved)).toBe(0)
    expect(boundaryScore(truth, moved)).toEqual({ precision: 1, recall: 1, f: 1 })
    expect(frameScore(truth, moved)).toEqual({ j: 0, f: 1, jf: 0.5 })
  })

  it('scores a 4x4 square shifted 3 pixels right at precision = recall = 9/16', () => {
    // Predicted ring x in [4,8]: its left column (5) and two pixels of each of its rows lie within one pixel of the true ring x in [1,5].
    const score = boundaryScore(square(10, 10, 2, 2, 5, 5), square(10, 10, 5, 2, 8, 5))
    expect(score.precision).toBeCloseTo(9 / 16, 12)
    expect(score.recall).toBeCloseTo(9 / 16, 12)
    expect(score.f).toBeCloseTo(9 / 16, 12)
    expect(frameScore(square(10, 10, 2, 2, 5, 5), square(10, 10, 5, 2, 8, 5)).jf).toBeCloseTo((4 / 28 + 9 / 16) / 2, 12)
  })

  it('is 1 for identical masks and 0 for far-apart ones', () => {
    expect(contourAccuracy(square(10, 10, 2, 2, 5, 5), square(10, 10, 2, 2, 5, 5))).toBe(1)
    expect(contourAccuracy(mask(10, 10, [[1, 1]]), mask(10, 10, [[7, 7]]))).toBe(0)
  })
})

describe('sequence score', () => {
  it('averages over frames, leaving out the first and the last as the toolkit does', () => {
    const truth = [mask(5, 5), mask(5, 5, [[2, 2]]), mask(5, 5, [[2, 2]]), mask(5, 5)]
    const predicted = [mask(5, 5, [[0, 0]]), mask(5, 5, [[2, 2]]), mask(5, 5, [[3, 2]]), mask(5, 5, [[4, 4]])]
    // Frames 1 and 2 only: J = (1 + 0) / 2, F = (1 + 1) / 2.
    expect(sequenceScore(truth, predicted)).toEqual({ j: 0.5, f: 1, jf: 0.75 })
    expect(sequenceScore(truth, predicted, false).j).toBeCloseTo(1 / 4, 12)
  })
})
