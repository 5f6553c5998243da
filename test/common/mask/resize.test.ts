import { describe, expect, it } from 'vitest'
import { resizeBilinear, resizeBilinearChannels, resizeMask } from '../../../src/common/mask'
import { loadFixture, maskOf } from './fixtures'

interface TorchCase {
  name: string
  channels: number
  height: number
  width: number
  outHeight: number
  outWidth: number
  input?: number[]
  output?: number[]
  outputPerPlane?: number[]
  formula?: string
  samples?: [number, number][]
  sum?: number
}

const torch = loadFixture<{ source: string; cases: TorchCase[] }>('torch-bilinear.json')
const inputOf = (c: TorchCase): Float32Array =>
  c.input ? Float32Array.from(c.input) : Float32Array.from({ length: c.channels * c.height * c.width }, (_, i) => (((i * 7919) % 2001) - 1000) / 64)

describe('bilinear resize against torch.nn.functional.interpolate (align_corners=False)', () => {
  it.each(torch.cases.map((c) => [c.name, c] as const))('matches %s bit for bit (per plane)', (_name, c) => {
    const out = resizeBilinearChannels(inputOf(c), c.channels, c.width, c.height, c.outWidth, c.outHeight)
    expect(out.length).toBe(c.channels * c.outWidth * c.outHeight)
    if (c.samples) {
      for (const [i, value] of c.samples) expect(out[i]).toBe(value)
      expect(out.reduce((s, v) => s + v, 0)).toBe(c.sum)
    } else {
      expect(Array.from(out)).toEqual(c.outputPerPlane ?? c.output)
    }
  })

  it('stays within a few float32 ulps of torch on a multi-channel NCHW tensor (a different torch kernel)', () => {
    for (const c of torch.cases.filter((k) => k.outputPerPlane)) {
      const out = resizeBilinearChannels(inputOf(c), c.channels, c.width, c.height, c.outWidth, c.outHeight)
      // Inputs lie within +-20, where a float32 ulp is at most 2^-19; allow a few of them.
      c.output!.forEach((value, i) => expect(Math.abs(out[i]! - value)).toBeLessThanOrEqual(4 * 2 ** -19))
    }
  })

  it('samples exactly the 2x2 pixels at 16i+7 and 16i+8 with weight 0.5 when going 1024 -> 64', () => {
    const width = 1024
    const data = new Float32Array(width * width).map((_, i) => (i % width) + 1000 * Math.floor(i / width))
    const out = resizeBilinear({ width, height: width, data }, 64, 64)
    expect(out.data[0]).toBe(7.5 + 1000 * 7.5)
    expect(out.data[64 * 3 + 5]).toBe(16 * 5 + 7.5 + 1000 * (16 * 3 + 7.5))
  })

  it('returns the input unchanged at the same size', () => {
    const data = Float32Array.from([1.5, -2, 3.25, 4, 5, 6])
    expect(Array.from(resizeBilinear({ width: 3, height: 2, data }, 3, 2).data)).toEqual(Array.from(data))
  })
})

describe('resizeMask', () => {
  it('upsamples 2x by bilinear weights, keeping pixels above one half', () => {
    // A single pixel at (1,1) of 3x3 covers the output pixels whose source lies nearer to it.
    const out = resizeMask(maskOf(['000', '010', '000']), 6, 6)
    expect(Array.from(out.data)).toEqual([
      0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0,
      0, 0, 1, 1, 0, 0,
      0, 0, 1, 1, 0, 0,
      0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0,
    ])
    expect(Array.from(resizeMask(maskOf(['000', '010', '000']), 6, 6, 0.05).data).filter((v) => v === 1)).toHaveLength(16)
  })

  it('rejects source data of the wrong length', () => {
    expect(() => resizeBilinearChannels(new Float32Array(5), 1, 2, 3, 4, 4)).toThrow(/resize source has 5 values but 1x3x2 needs 6/)
  })
})
