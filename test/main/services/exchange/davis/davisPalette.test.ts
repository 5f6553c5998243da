/** Palette PNG indices at every bit depth and odd widths (rows start on byte boundaries), checked against fast-png's own RGB expansion. */
import { convertIndexedToRgb, decode, encode } from 'fast-png'
import { describe, expect, it } from 'vitest'
import { DAVIS_PALETTE, decodePaletteIndices, encodeDavisPng } from '../../../../../src/main/services/exchange/davis/davisPalette'

/** Packs indices into PNG rows of `depth` bits, each row padded to a whole byte. */
function pack(indices: readonly number[], width: number, depth: number): Uint8Array {
  const rowBytes = Math.ceil((width * depth) / 8)
  const height = indices.length / width
  const out = new Uint8Array(rowBytes * height)
  indices.forEach((index, p) => {
    const bit = (p % width) * depth
    out[Math.floor(p / width) * rowBytes + (bit >> 3)]! |= index << (8 - depth - (bit & 7))
  })
  return out
}

describe('DAVIS palette PNGs', () => {
  for (const depth of [1, 2, 4, 8] as const) {
    it(`reads ${depth}-bit indices of a 5x3 image`, () => {
      const width = 5
      const indices = Array.from({ length: 15 }, (_, p) => (p * 7 + 3) % (1 << depth))
      const palette = Array.from({ length: 1 << depth }, (_, i) => [...DAVIS_PALETTE[i]!])
      const bytes = encode({ width, height: 3, data: depth === 8 ? Uint8Array.from(indices) : pack(indices, width, depth), depth, channels: 1, palette })
      const decoded = decodePaletteIndices(bytes)!
      expect([decoded.width, decoded.height, [...decoded.indices]]).toEqual([5, 3, indices])
      const rgb = convertIndexedToRgb(decode(bytes))
      decoded.indices.forEach((index, p) => expect([...rgb.subarray(p * 3, p * 3 + 3)]).toEqual(palette[index]))
    })
  }

  it('says "not indexed" for an RGB PNG, and writes 8-bit DAVIS PNGs that decode to the same ids', () => {
    expect(decodePaletteIndices(encode({ width: 2, height: 1, data: new Uint8Array(6), channels: 3 }))).toBeNull()
    const ids = Uint8Array.from([0, 1, 2, 255, 17, 3])
    const png = decode(encodeDavisPng(3, 2, ids))
    expect([png.depth, png.channels, png.palette!.length, [...png.data]]).toEqual([8, 1, 256, [...ids]])
    expect(() => encodeDavisPng(3, 3, ids)).toThrow(/6 ids for 3x3 pixels/)
  })
})
