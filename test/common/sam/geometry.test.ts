import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { imageToModelPoint, maskOutputSize, modelToImagePoint, resizeLongestSide } from '../../../src/common/sam/geometry'
import { encodePrompt } from '../../../src/common/sam/prompts'

describe('resizeLongestSide (hand-computed, as segment_anything ResizeLongestSide)', () => {
  it('landscape 1200x800: longest side 1024, the other floor(800 * 1024/1200 + 0.5) = 683', () => {
    expect(resizeLongestSide(1200, 800)).toEqual({ originalWidth: 1200, originalHeight: 800, resizedWidth: 1024, resizedHeight: 683 })
  })

  it('portrait 480x640 -> 768x1024, and 333x1000 -> floor(340.992 + 0.5) = 341 wide', () => {
    expect(resizeLongestSide(480, 640)).toMatchObject({ resizedWidth: 768, resizedHeight: 1024 })
    expect(resizeLongestSide(333, 1000)).toMatchObject({ resizedWidth: 341, resizedHeight: 1024 })
  })

  it('square images fill the canvas, small ones are scaled up', () => {
    expect(resizeLongestSide(500, 500)).toMatchObject({ resizedWidth: 1024, resizedHeight: 1024 })
    expect(resizeLongestSide(10, 3)).toMatchObject({ resizedWidth: 1024, resizedHeight: 307 }) // 307.2 + 0.5 -> 307
    expect(resizeLongestSide(4000, 3000)).toMatchObject({ resizedWidth: 1024, resizedHeight: 768 })
  })

  it('keeps at least one pixel where the reference would round a side to 0 (1x2049)', () => {
    expect(resizeLongestSide(1, 2049)).toMatchObject({ resizedWidth: 1, resizedHeight: 1024 })
  })

  it('rejects empty or fractional sizes', () => {
    expect(() => resizeLongestSide(0, 10)).toThrow(/positive integers/)
    expect(() => resizeLongestSide(10.5, 10)).toThrow(/positive integers/)
  })

  it('keeps the longest side at 1024 and the aspect ratio within rounding, for any size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20000 }), fc.integer({ min: 1, max: 20000 }), (width, height) => {
        const g = resizeLongestSide(width, height)
        expect(Math.max(g.resizedWidth, g.resizedHeight)).toBe(1024)
        const scale = 1024 / Math.max(width, height)
        expect(Math.abs(g.resizedWidth - Math.max(1, width * scale))).toBeLessThanOrEqual(0.5)
        expect(Math.abs(g.resizedHeight - Math.max(1, height * scale))).toBeLessThanOrEqual(0.5)
      }),
    )
  })
})

describe('point transforms (ResizeLongestSide.apply_coords)', () => {
  it('maps image pixels to the 1024 frame per axis: x * newW / W, y * newH / H', () => {
    expect(imageToModelPoint(resizeLongestSide(1200, 800), 600, 400)).toEqual({ x: 512, y: 341.5 })
    expect(imageToModelPoint(resizeLongestSide(480, 640), 100, 200)).toEqual({ x: 160, y: 320 })
    expect(imageToModelPoint(resizeLongestSide(500, 500), 250, 125)).toEqual({ x: 512, y: 256 })
    const narrow = imageToModelPoint(resizeLongestSide(333, 1000), 100, 500)
    expect(narrow.x).toBeCloseTo((100 * 341) / 333, 10) // 102.4024..., not 100 * 1.024
    expect(narrow.y).toBeCloseTo(512, 10)
  })

  it('round-trips through modelToImagePoint', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8000 }), fc.integer({ min: 1, max: 8000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (w, h, fx, fy) => {
        const g = resizeLongestSide(w, h)
        const model = imageToModelPoint(g, fx * w, fy * h)
        const back = modelToImagePoint(g, model.x, model.y)
        expect(back.x).toBeCloseTo(fx * w, 6)
        expect(back.y).toBeCloseTo(fy * h, 6)
        expect(model.x).toBeLessThanOrEqual(g.resizedWidth + 1e-9)
        expect(model.y).toBeLessThanOrEqual(g.resizedHeight + 1e-9)
      }),
    )
  })
})

describe('encodePrompt (point_coords / point_labels)', () => {
  const g = resizeLongestSide(1200, 800)

  it('appends the (0,0) padding point with label -1 when there is no box', () => {
    const prompt = encodePrompt(g, [{ x: 600, y: 400, label: 1 }, { x: 300, y: 200, label: 0 }])
    expect(prompt.count).toBe(3)
    expect([...prompt.coords]).toEqual([512, 341.5, 256, 170.75, 0, 0])
    expect([...prompt.labels]).toEqual([1, 0, -1])
  })

  it('encodes a box as corners labelled 2 and 3, after the points, with no padding point', () => {
    const prompt = encodePrompt(g, [{ x: 600, y: 400, label: 1 }], { x0: 120, y0: 80, x1: 1080, y1: 720 })
    expect(prompt.count).toBe(3)
    expect([...prompt.coords]).toEqual([512, 341.5, 102.4, 68.3, 921.6, 614.7].map((v) => Math.fround(v)))
    expect([...prompt.labels]).toEqual([1, 2, 3])
  })

  it('orders box corners top-left first even when given the other way round', () => {
    const prompt = encodePrompt(g, [], { x0: 1080, y0: 720, x1: 120, y1: 80 })
    expect([...prompt.coords]).toEqual([102.4, 68.3, 921.6, 614.7].map((v) => Math.fround(v)))
    expect([...prompt.labels]).toEqual([2, 3])
  })

  it('rejects labels other than 0/1 and non-finite coordinates', () => {
    expect(() => encodePrompt(g, [{ x: 1, y: 1, label: 2 as 1 }])).toThrow(/label must be 0/)
    expect(() => encodePrompt(g, [{ x: Number.NaN, y: 1, label: 1 }])).toThrow(/finite/)
    expect(() => encodePrompt(g, [], { x0: 0, y0: 0, x1: Infinity, y1: 3 })).toThrow(/finite/)
  })
})

describe('maskOutputSize', () => {
  it('keeps sizes within the budget and scales larger ones down with the same aspect ratio', () => {
    expect(maskOutputSize(640, 480, 1024 * 1024)).toEqual({ width: 640, height: 480 })
    const reduced = maskOutputSize(4000, 3000, 1024 * 1024)
    expect(reduced.width * reduced.height).toBeLessThanOrEqual(1024 * 1024)
    expect(reduced).toEqual({ width: 1182, height: 886 })
    expect(Math.abs(reduced.width / reduced.height - 4 / 3)).toBeLessThan(0.002)
  })
})
