import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { intersectMasks, maskArea, subtractMask, unionMasks } from '../../../src/common/mask'

/** Masks whose bytes start at any offset of a larger buffer, so word-wise and byte-wise paths both run. */
const offsetMask = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.uint8Array({ minLength: 1, maxLength: 67 }))
  .map(([offset, bytes]) => {
    const buffer = new Uint8Array(bytes.length + offset)
    bytes.forEach((b, i) => (buffer[offset + i] = b & 1))
    return { width: bytes.length, height: 1, data: buffer.subarray(offset) }
  })

describe('mask set operations on any alignment', () => {
  it('agree with per-pixel definitions', () => {
    fc.assert(
      fc.property(offsetMask, offsetMask, (a, raw) => {
        const b = { width: a.width, height: 1, data: Uint8Array.from({ length: a.width }, (_, i) => raw.data[i % raw.width]!) }
        const naive = (op: (p: number, q: number) => number) => Array.from(a.data, (p, i) => op(p, b.data[i]!))
        expect(Array.from(unionMasks(a, b).data)).toEqual(naive((p, q) => p | q))
        expect(Array.from(intersectMasks(a, b).data)).toEqual(naive((p, q) => p & q))
        expect(Array.from(subtractMask(a, b).data)).toEqual(naive((p, q) => p & (q ^ 1)))
        expect(maskArea(a)).toBe(a.data.reduce((s, v) => s + v, 0))
      }),
    )
  })
})
