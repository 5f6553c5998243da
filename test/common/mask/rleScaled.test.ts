import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeRle, encodeRleScaled, nearestSources } from '../../../src/common/mask'

function nearestResize(mask: { width: number; height: number; data: Uint8Array }, width: number, height: number) {
  const data = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) {
    const sy = Math.min(mask.height - 1, Math.floor(((y + 0.5) * mask.height) / height))
    for (let x = 0; x < width; x++) {
      const sx = Math.min(mask.width - 1, Math.floor(((x + 0.5) * mask.width) / width))
      data[y * width + x] = mask.data[sy * mask.width + sx]!
    }
  }
  return { width, height, data }
}

describe('encodeRleScaled', () => {
  it('maps output pixel centres to source pixels', () => {
    expect(Array.from(nearestSources(2, 5))).toEqual([0, 0, 1, 1, 1])
    expect(Array.from(nearestSources(4, 2))).toEqual([1, 3])
  })

  it('equals encoding the nearest-neighbour resized mask, up and down', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (w, h, W, H, seed) => {
          let s = seed || 1
          const data = Uint8Array.from({ length: w * h }, () => {
            s = (Math.imul(s, 1103515245) + 12345) >>> 0
            return s >>> 31
          })
          const mask = { width: w, height: h, data }
          const scaled = encodeRleScaled(mask, W, H)
          const direct = encodeRle(nearestResize(mask, W, H))
          expect(scaled.size).toEqual([H, W])
          expect(Array.from(scaled.counts)).toEqual(Array.from(direct.counts))
        },
      ),
    )
  })

  it('handles all-foreground and empty masks', () => {
    expect(Array.from(encodeRleScaled({ width: 2, height: 2, data: new Uint8Array(4).fill(1) }, 3, 5).counts)).toEqual([0, 15])
    expect(Array.from(encodeRleScaled({ width: 2, height: 2, data: new Uint8Array(4) }, 3, 5).counts)).toEqual([15])
  })
})
