import { describe, expect, it } from 'vitest'
import { normalizeToCanvas, PIXEL_MEAN, PIXEL_STD, toHwcFloat } from '../../../src/common/sam/preprocess'

const PLANE = 1024 * 1024

describe('normalizeToCanvas (reference flavour: NCHW, SAM mean/std, zero padding bottom-right)', () => {
  const width = 4
  const height = 3
  const rgb = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 37) % 256)

  it('writes (v - mean) / std per channel at c*1024*1024 + y*1024 + x', () => {
    const canvas = normalizeToCanvas(rgb, width, height)
    expect(canvas.length).toBe(3 * PLANE)
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (let c = 0; c < 3; c++) {
          const value = rgb[(y * width + x) * 3 + c]!
          expect(canvas[c * PLANE + y * 1024 + x]).toBeCloseTo((value - PIXEL_MEAN[c]!) / PIXEL_STD[c]!, 5)
        }
      }
    }
    // Hand-computed: pure black red channel = -123.675 / 58.395 = -2.1179...
    expect(normalizeToCanvas(new Uint8Array(3), 1, 1)[0]).toBeCloseTo(-2.117904, 5)
  })

  it('pads with exact zeros right of and below the image, in every channel', () => {
    const canvas = normalizeToCanvas(rgb, width, height)
    for (let c = 0; c < 3; c++) {
      expect(canvas[c * PLANE + 0 * 1024 + width]).toBe(0)
      expect(canvas[c * PLANE + height * 1024 + 0]).toBe(0)
      expect(canvas[c * PLANE + 1023 * 1024 + 1023]).toBe(0)
    }
  })

  it('clears a reused buffer before writing', () => {
    const reused = new Float32Array(3 * PLANE).fill(7)
    normalizeToCanvas(rgb, width, height, reused)
    expect(reused[PLANE - 1]).toBe(0)
    expect(reused[width]).toBe(0)
  })

  it('rejects buffers of the wrong size and images larger than the canvas', () => {
    expect(() => normalizeToCanvas(new Uint8Array(5), 2, 1)).toThrow(/expected 2x1x3/)
    expect(() => normalizeToCanvas(new Uint8Array(1025 * 3), 1025, 1)).toThrow(/exceeds the 1024 canvas/)
  })
})

describe('toHwcFloat (samexporter flavour)', () => {
  it('keeps HWC order and the 0–255 scale', () => {
    expect([...toHwcFloat(Uint8Array.from([1, 2, 3, 250, 251, 252]), 2, 1)]).toEqual([1, 2, 3, 250, 251, 252])
  })
})
