/**
 * The DAVIS annotation palette (PASCAL VOC's, as the DAVIS toolkit and PIL write it): index 0 is
 * black background, index k > 0 spreads the bits of k over the high bits of red, green and blue.
 * DAVIS masks are 8-bit palette PNGs whose pixel value *is* the object id; the colours only make
 * them viewable. sharp cannot write a fixed palette, so fast-png encodes and decodes them.
 */
import { decode, encode } from 'fast-png'

/** Colour of palette index `index` in the DAVIS (PASCAL VOC) palette. */
export function davisColour(index: number): [number, number, number] {
  const rgb: [number, number, number] = [0, 0, 0]
  let c = index
  for (let shift = 7; c > 0; shift--, c >>= 3) {
    for (let k = 0; k < 3; k++) rgb[k]! |= ((c >> k) & 1) << shift
  }
  return rgb
}

/** All 256 entries, as fast-png takes a palette. */
export const DAVIS_PALETTE: readonly (readonly [number, number, number])[] = Array.from({ length: 256 }, (_, index) => davisColour(index))

/** Object id (1..255) of each palette colour, keyed by 0xRRGGBB; black is background. */
const idOfColour = new Map(DAVIS_PALETTE.slice(1).map(([r, g, b], i) => [(r << 16) | (g << 8) | b, i + 1]))

export function davisIdOfColour(rgb: number): number | undefined {
  return rgb === 0 ? 0 : idOfColour.get(rgb)
}

/** An 8-bit palette PNG with the DAVIS palette, one byte per pixel = the object id (0 background). */
export function encodeDavisPng(width: number, height: number, ids: Uint8Array): Uint8Array {
  if (ids.length !== width * height) throw new Error(`DAVIS mask: ${ids.length} ids for ${width}x${height} pixels`)
  return encode({ width, height, data: ids, depth: 8, channels: 1, palette: DAVIS_PALETTE.map((colour) => [...colour]) })
}

export interface DecodedPalettePng {
  readonly width: number
  readonly height: number
  /** One palette index per pixel, unpacked from 1, 2, 4 or 8 bits. */
  readonly indices: Uint8Array
}

/** The palette indices of an indexed PNG, or null when the PNG is not indexed (then its colours tell the ids). */
export function decodePaletteIndices(bytes: Uint8Array): DecodedPalettePng | null {
  const png = decode(bytes)
  if (!png.palette || png.channels !== 1) return null
  const { width, height, depth } = png
  const data = png.data as Uint8Array
  if (depth === 8) return { width, height, indices: Uint8Array.from(data.subarray(0, width * height)) }
  // Rows of packed indices start on byte boundaries.
  const indices = new Uint8Array(width * height)
  const rowBytes = Math.ceil((width * depth) / 8)
  const mask = (1 << depth) - 1
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth
      indices[y * width + x] = (data[y * rowBytes + (bit >> 3)]! >> (8 - depth - (bit & 7))) & mask
    }
  }
  return { width, height, indices }
}
