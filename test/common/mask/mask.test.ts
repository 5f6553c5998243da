import { describe, expect, it } from 'vitest'
import { cloneMask, maskFromLogits, maskFromNonZero, maskToBytes, maskToLogits, masksEqual } from '../../../src/common/mask'
import { maskOf } from './fixtures'

describe('mask conversions', () => {
  it('thresholds logits strictly above 0 (SAM), NaN counting as background', () => {
    const logits = { width: 3, height: 2, data: Float32Array.from([-1, 0, 1e-7, 5, Number.NaN, -0]) }
    expect(Array.from(maskFromLogits(logits).data)).toEqual([0, 0, 1, 1, 0, 0])
    expect(Array.from(maskFromLogits(logits, 2).data)).toEqual([0, 0, 0, 1, 0, 0])
    expect(() => maskFromLogits({ width: 2, height: 2, data: new Float32Array(3) })).toThrow(/logits data has 3 values but size 2x2 needs 4/)
  })

  it('turns masks into logits that threshold back to the same mask', () => {
    const mask = maskOf(['0110', '1001'])
    const logits = maskToLogits(mask, 8)
    expect(Array.from(logits.data)).toEqual([-8, 8, 8, -8, 8, -8, -8, 8])
    expect(masksEqual(maskFromLogits(logits), mask)).toBe(true)
  })

  it('binarizes PNG-style pixels (any non-zero channel) and writes 0/255 bytes', () => {
    const gray = maskFromNonZero(3, 1, Uint8Array.from([0, 1, 255]))
    expect(Array.from(gray.data)).toEqual([0, 1, 1])
    const rgb = maskFromNonZero(2, 1, Uint8Array.from([0, 0, 0, 128, 0, 0]), 3)
    expect(Array.from(rgb.data)).toEqual([0, 1])
    expect(Array.from(maskToBytes(gray))).toEqual([0, 255, 255])
    expect(() => maskFromNonZero(2, 2, new Uint8Array(5))).toThrow(/pixels has 5 bytes but 2x2x1 needs 4/)
  })

  it('compares and clones by value', () => {
    const mask = maskOf(['01', '10'])
    const copy = cloneMask(mask)
    expect(masksEqual(copy, mask)).toBe(true)
    copy.data[0] = 1
    expect(masksEqual(copy, mask)).toBe(false)
    expect(mask.data[0]).toBe(0)
    expect(masksEqual(maskOf(['01']), maskOf(['0', '1']))).toBe(false)
  })
})
