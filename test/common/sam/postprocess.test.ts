import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { resizeLongestSide } from '../../../src/common/sam/geometry'
import { fuseLogits } from '../../../src/common/persam/fusionFit'
import { fuseMultimask, maskExtents, postprocessLowRes, resizeBilinear, thresholdLogits, upscaleLogitsToMask } from '../../../src/common/sam/postprocess'

const size = (width: number, height: number) => ({ width, height })

describe('resizeBilinear (torch interpolate, align_corners=False, no antialias)', () => {
  it('downscaling 1024 -> 64 averages exactly the pixels at 16i+7 and 16i+8 (the cell-centre rule of docs/persam-algorithm.md, section 1)', () => {
    const line = Float32Array.from({ length: 1024 }, (_, x) => x * x)
    const out = resizeBilinear(line, size(1024, 1), size(64, 1))
    for (let i = 0; i < 64; i++) expect(out[i]).toBeCloseTo(((16 * i + 7) ** 2 + (16 * i + 8) ** 2) / 2, 1)
  })

  it('upscaling 2 -> 4 gives the hand-computed torch values', () => {
    // src = max(0, 0.5 * (i + 0.5) - 0.5) = 0, 0.25, 0.75, 1.25 (clamped to the last pixel)
    const out = resizeBilinear(Float32Array.from([0, 8]), size(2, 1), size(4, 1))
    expect([...out]).toEqual([0, 2, 6, 8])
  })

  it('is separable: a 2D resize of an outer product is the outer product of 1D resizes', () => {
    const column = Float32Array.from([1, 3, -2])
    const row = Float32Array.from([2, 0, 5, 1])
    const grid = new Float32Array(12)
    for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) grid[y * 4 + x] = column[y]! * row[x]!
    const out = resizeBilinear(grid, size(4, 3), size(7, 5))
    const rows = resizeBilinear(row, size(4, 1), size(7, 1))
    const columns = resizeBilinear(column, size(3, 1), size(5, 1))
    for (let y = 0; y < 5; y++) for (let x = 0; x < 7; x++) expect(out[y * 7 + x]).toBeCloseTo(columns[y]! * rows[x]!, 5)
  })

  it('reads only the crop region when given one', () => {
    const values = Float32Array.from([1, 1, 99, 1, 1, 99])
    expect([...resizeBilinear(values, size(3, 2), size(4, 4), size(2, 2))]).toEqual(new Array(16).fill(1))
  })

  it('never leaves the range of its input (bilinear weights are convex)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), (w, h, ow, oh) => {
        const values = Float32Array.from({ length: w * h }, (_, i) => Math.sin(i * 12.9898) * 10)
        const out = resizeBilinear(values, size(w, h), size(ow, oh))
        const min = Math.min(...values)
        const max = Math.max(...values)
        for (const v of out) {
          expect(v).toBeGreaterThanOrEqual(min - 1e-4)
          expect(v).toBeLessThanOrEqual(max + 1e-4)
        }
      }),
    )
  })
})

describe('postprocessLowRes (SAM postprocess_masks)', () => {
  it('keeps a step edge where the geometry puts it: the crop drops the padding', () => {
    // Landscape 1200x800 -> 1024x683: low-res rows >= 171 (683/4) are padding. Put a big logit there.
    const geometry = resizeLongestSide(1200, 800)
    const lowRes = new Float32Array(256 * 256).fill(-5)
    for (let y = 180; y < 256; y++) for (let x = 0; x < 256; x++) lowRes[y * 256 + x] = 50
    const mask = thresholdLogits(postprocessLowRes(lowRes, geometry))
    expect(mask.length).toBe(1200 * 800)
    // Nothing of the padding reaches the image, except where interpolation crosses row 683 of the canvas.
    const lastRowOn = mask.subarray(799 * 1200, 800 * 1200).some((v) => v === 1)
    expect(lastRowOn).toBe(false)
  })

  it('maps the low-res grid onto the image: a left-half logit map yields a left-half mask', () => {
    const geometry = resizeLongestSide(500, 1000) // 512x1024 in the canvas: low-res columns 0..127 hold the image
    const lowRes = new Float32Array(256 * 256)
    for (let y = 0; y < 256; y++) for (let x = 0; x < 256; x++) lowRes[y * 256 + x] = x < 64 ? 10 : -10
    const mask = thresholdLogits(postprocessLowRes(lowRes, geometry))
    expect(mask[500 * 500 + 240]).toBe(1)
    expect(mask[500 * 500 + 260]).toBe(0)
  })
})

describe('upscaleLogitsToMask', () => {
  it('equals thresholding a full bilinear resize, without allocating it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 48 }), fc.integer({ min: 1, max: 48 }), (w, h, ow, oh) => {
        const logits = Float32Array.from({ length: w * h * 2 }, (_, i) => Math.sin(i * 7.31) * 3)
        const expected = thresholdLogits(resizeBilinear(logits.subarray(w * h), size(w, h), size(ow, oh)))
        expect([...upscaleLogitsToMask(logits, size(w, h), size(ow, oh), w * h)]).toEqual([...expected])
      }),
    )
  })
})

describe('fuseMultimask', () => {
  it('equals fusing planes 1..3 into arrays and measuring the fused mask, for any weights and logits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 1, max: 24 }),
        fc.tuple(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true })),
        fc.integer(),
        (width, height, weights, seed) => {
          let state = seed >>> 0
          const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 8 - 4
          const random = (length: number) => {
            const values = new Float32Array(length)
            for (let i = 0; i < length; i++) values[i] = next()
            return values
          }
          const masks = random(4 * width * height)
          const lowRes = random(4 * 65536)
          const planes = (values: Float32Array, size: number) => [1, 2, 3].map((k) => values.subarray(k * size, (k + 1) * size)) as [Float32Array, Float32Array, Float32Array]
          const fused = fuseMultimask(weights, masks, lowRes, width, height)
          expect(fused.extent).toEqual(maskExtents(fuseLogits(weights, planes(masks, width * height)), 1, width, height)[0])
          const expected = fuseLogits(weights, planes(lowRes, 65536))
          let differing = 0
          for (let i = 0; i < expected.length; i++) if (!Object.is(fused.lowResLogits[i], expected[i])) differing++
          expect(differing).toBe(0)
        },
      ),
      { numRuns: 20 },
    )
  })

  it('refuses a result with fewer than four planes', () => {
    expect(() => fuseMultimask([1, 1, 1], new Float32Array(3 * 16), new Float32Array(4 * 65536), 4, 4)).toThrow(/4 mask planes of 4x4/)
  })
})
