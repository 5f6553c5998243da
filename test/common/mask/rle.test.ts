import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  canonicalRle,
  cocoRle,
  compressRle,
  countsFromString,
  countsToString,
  decodeRle,
  decodeRleInto,
  decompressRle,
  encodeRle,
  maskArea,
  maskBbox,
  rleArea,
  rleBbox,
  type BinaryMask,
} from '../../../src/common/mask'
import { anyMask, naiveCounts, sizedNoise } from './arbitraries'
import { maskOf, expectSameValues } from './fixtures'

/** Per-pixel bbox straight from the definition (first/last foreground column and row). */
function naiveBbox(mask: BinaryMask): number[] {
  let minX = Infinity
  let minY = Infinity
  let maxX = -1
  let maxY = -1
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      if (mask.data[y * mask.width + x] === 0) continue
      minX = Math.min(minX, x)
      maxX = Math.max(maxX, x)
      minY = Math.min(minY, y)
      maxY = Math.max(maxY, y)
    }
  }
  return maxX < 0 ? [0, 0, 0, 0] : [minX, minY, maxX - minX + 1, maxY - minY + 1]
}

describe('hand-checked RLE vectors (reference section 3.2, 3.4)', () => {
  it('encodes the 2x3 example as counts [2,3,1] and string "231"', () => {
    const rle = encodeRle(maskOf(['011', '010']))
    expect(Array.from(rle.counts)).toEqual([2, 3, 1])
    expect(rle.size).toEqual([2, 3])
    expect(compressRle(rle).counts).toBe('231')
  })

  it('encodes 1x7 rows [0 0 1 1 1 0 1] and [1 1 1 1 1 1 0] as in the pycocotools docstring', () => {
    expect(Array.from(encodeRle(maskOf(['0011101'])).counts)).toEqual([2, 3, 1, 1])
    expect(Array.from(encodeRle(maskOf(['1111110'])).counts)).toEqual([0, 6, 1])
  })

  it('writes counts [5,3,2,10,1] as "5327O" (deltas 7 and -1 after the third)', () => {
    expect(countsToString(Uint32Array.from([5, 3, 2, 10, 1]))).toBe('5327O')
    expect(Array.from(countsFromString('5327O'))).toEqual([5, 3, 2, 10, 1])
  })

  // Values as written (count, or delta from the fourth count on) and their characters.
  const written: [number, string][] = [
    [0, '0'], [1, '1'], [15, '?'], [16, '`0'], [31, 'o0'], [32, 'P1'], [-1, 'O'], [-16, '@'], [-17, '_O'], [100, 'T3'],
  ]
  it.each(written)('writes the value %i as %j', (value, chars) => {
    // Three counts of 40 ("X1" each), then a fourth whose delta to the second is `value`.
    const counts = Uint32Array.from([40, 40, 40, 40 + value])
    expect(countsToString(counts)).toBe(`X1X1X1${chars}`)
    expect(Array.from(countsFromString(`X1X1X1${chars}`))).toEqual(Array.from(counts))
  })

  it('handles empty and full masks, 1xN and Nx1', () => {
    expect(Array.from(encodeRle(maskOf(['000', '000'])).counts)).toEqual([6])
    expect(Array.from(encodeRle(maskOf(['111', '111'])).counts)).toEqual([0, 6])
    expect(Array.from(encodeRle(maskOf(['0110100'])).counts)).toEqual([1, 2, 1, 1, 2])
    expect(Array.from(encodeRle(maskOf(['0', '1', '1', '0', '1'])).counts)).toEqual([1, 2, 1, 1])
    expect(rleBbox(encodeRle(maskOf(['000', '000'])))).toEqual([0, 0, 0, 0])
    expect(rleBbox(encodeRle(maskOf(['111', '111'])))).toEqual([0, 0, 3, 2])
  })

  it('encodes runs that need several 5-bit groups (a 300x200 mask with one pixel)', () => {
    const data = new Uint8Array(300 * 200)
    data[150 * 300 + 250] = 1 // x = 250, y = 150: column-major position 250 * 200 + 150
    const rle = encodeRle({ width: 300, height: 200, data })
    expect(Array.from(rle.counts)).toEqual([50150, 1, 9849])
    const text = compressRle(rle).counts
    expect(text.length).toBeGreaterThan(6)
    expect(Array.from(decompressRle({ size: [200, 300], counts: text }).counts)).toEqual([50150, 1, 9849])
  })

  it('bboxes a run that wraps from one column into the next at full height (pycocotools rule)', () => {
    // Column 0 ends with foreground and column 1 starts with it: one run across the column break.
    expect(rleBbox(encodeRle(maskOf(['01', '00', '10'])))).toEqual([0, 0, 2, 3])
  })
})

describe('RLE properties', () => {
  it('encodes exactly like a per-pixel column walk', () => {
    fc.assert(
      fc.property(anyMask(), (mask) => {
        expectSameValues(encodeRle(mask).counts, naiveCounts(mask))
      }),
      { numRuns: 300 },
    )
  })

  it('round-trips encode -> decode and encode -> compress -> decompress -> decode', () => {
    fc.assert(
      fc.property(anyMask(), (mask) => {
        const rle = encodeRle(mask)
        expectSameValues(decodeRle(rle).data, mask.data)
        const compressed = compressRle(rle)
        expect(compressed.size).toEqual([mask.height, mask.width])
        const back = decompressRle(compressed)
        expectSameValues(back.counts, Array.from(rle.counts))
        expectSameValues(decodeRle(back).data, mask.data)
      }),
      { numRuns: 300 },
    )
  })

  it('computes area and bbox from runs as a per-pixel count does', () => {
    fc.assert(
      fc.property(anyMask(), (mask) => {
        const rle = encodeRle(mask)
        const area = mask.data.reduce((sum, v) => sum + v, 0)
        expect(rleArea(rle)).toBe(area)
        expect(maskArea(mask)).toBe(area)
        expect(rleBbox(rle)).toEqual(naiveBbox(mask))
        expect(maskBbox(mask)).toEqual(naiveBbox(mask))
      }),
      { numRuns: 300 },
    )
  })

  it('encodes masks stored at an unaligned offset and masks denser than the transition scratch list', () => {
    fc.assert(
      fc.property(sizedNoise(36, 21), fc.integer({ min: 1, max: 3 }), (mask, offset) => {
        const backing = new Uint8Array(mask.data.length + offset)
        backing.set(mask.data, offset)
        const shifted = { width: mask.width, height: mask.height, data: backing.subarray(offset) }
        expectSameValues(encodeRle(shifted).counts, naiveCounts(mask))
      }),
    )
    const checker = { width: 400, height: 300, data: new Uint8Array(400 * 300).map((_, i) => (i + Math.floor(i / 400)) & 1) }
    const rle = encodeRle(checker)
    expect(rle.counts.length).toBeGreaterThan(100_000) // far more transitions than the scratch list holds
    expectSameValues(rle.counts, naiveCounts(checker))
    expectSameValues(decodeRle(rle).data, checker.data)
  })

  it('decodes non-canonical counts (empty runs) to the same pixels as their canonical form', () => {
    const raw = cocoRle(4, 5, [3, 0, 7, 2, 0, 0, 8])
    const canonical = canonicalRle(raw)
    expect(Array.from(canonical.counts)).toEqual([10, 2, 8])
    expectSameValues(decodeRle(raw).data, decodeRle(canonical).data)
    expect(Array.from(canonicalRle(cocoRle(1, 4, [0, 0, 0, 4])).counts)).toEqual([0, 4])
  })

  it('decodes into a caller-owned buffer, overwriting every byte', () => {
    const mask = maskOf(['0110', '1001', '0110'])
    const target = new Uint8Array(12).fill(7)
    decodeRleInto(encodeRle(mask), target)
    expect(target).toEqual(mask.data)
  })
})
