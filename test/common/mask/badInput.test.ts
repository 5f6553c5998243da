import { describe, expect, it } from 'vitest'
import {
  MaskFormatError,
  assertBinaryMask,
  cocoRle,
  createMask,
  decodeRle,
  decompressRle,
  encodeRle,
  maskFromData,
  mergeRles,
  parseCocoRle,
  rasterizePolygon,
  rasterizePolygons,
  rleIou,
  segmentationToRle,
  unionMasks,
  type CocoRle,
} from '../../../src/common/mask'

const fails = (fn: () => unknown, message: RegExp): void => {
  expect(fn).toThrow(MaskFormatError)
  expect(fn).toThrow(message)
}

describe('malformed RLE strings', () => {
  it('rejects characters outside "0".."o", naming the index', () => {
    fails(() => decompressRle({ size: [2, 3], counts: '23 1' }), /invalid character " " at index 2/)
    fails(() => decompressRle({ size: [2, 3], counts: '2p1' }), /invalid character "p" at index 1/)
  })

  it('rejects a string that ends inside a value', () => {
    // 'P' (0x20 set) promises another group.
    fails(() => decompressRle({ size: [2, 3], counts: '23P' }), /ends inside the value starting at character 2/)
  })

  it('rejects values that decode to negative counts or to too many groups', () => {
    fails(() => decompressRle({ size: [2, 3], counts: 'O' }), /decodes count 0 to -1/)
    fails(() => decompressRle({ size: [2, 3], counts: 'PPPPPPP0' }), /longer than 7 characters/)
  })

  it('rejects a valid string whose counts do not fill the size', () => {
    fails(() => decompressRle({ size: [2, 5], counts: '231' }), /RLE counts sum to 6 but size \[2,5\] needs 10/)
  })
})

describe('counts that do not sum to h*w', () => {
  it('says by how much, for construction and decode', () => {
    fails(() => cocoRle(2, 5, [5, 6]), /RLE counts sum to 11 but size \[2,5\] needs 10/)
    fails(() => cocoRle(2, 5, [3, 2]), /sum to 5 but size \[2,5\] needs 10/)
    const forged: CocoRle = { size: [2, 5], counts: Uint32Array.from([4, 4]) }
    fails(() => decodeRle(forged), /sum to 8 but size \[2,5\] needs 10/)
  })

  it('rejects negative, fractional and non-numeric counts by index', () => {
    fails(() => cocoRle(2, 5, [5, -1, 6]), /counts\[1\] must be a non-negative integer, got -1/)
    fails(() => cocoRle(2, 5, [5, 2.5, 2.5]), /counts\[1\] must be a non-negative integer, got 2.5/)
    fails(() => parseCocoRle({ size: [2, 5], counts: [5, '5'] }), /counts\[1\] must be a non-negative integer/)
  })
})

describe('bad sizes', () => {
  it.each([
    [0, 5, /width must be between 1/],
    [-3, 5, /width must be between 1/],
    [2.5, 5, /width must be an integer, got 2.5/],
    [Number.NaN, 5, /width must be an integer, got NaN/],
    [5, -1, /height must be between 1/],
    [70000, 70000, /has 4900000000 pixels/],
  ])('rejects width %s, height %s', (width, height, message) => {
    fails(() => createMask(width, height), message)
    fails(() => cocoRle(height, width, [1]), message)
  })

  it('checks RLE JSON size fields and the image size', () => {
    fails(() => parseCocoRle({ size: [2], counts: [2] }), /segmentation.size must be \[height, width\]/)
    fails(() => parseCocoRle({ size: [2, -2], counts: [4] }), /segmentation.size width must be between 1/)
    fails(() => parseCocoRle({ size: [2, 2], counts: { a: 1 } }), /counts must be a list of integers or a string/)
    fails(() => parseCocoRle('231'), /must be an object with size and counts/)
    fails(() => segmentationToRle({ size: [2, 3], counts: '231' }, 3, 2), /size \[2,3\] does not match the image size \[3,2\]/)
  })
})

describe('bad polygons', () => {
  it('rejects NaN and infinite coordinates, naming the point', () => {
    fails(() => rasterizePolygon([0, 0, 4, Number.NaN, 4, 4], 10, 10), /point 1 has y = NaN/)
    fails(() => rasterizePolygon([0, 0, Infinity, 0, 4, 4], 10, 10), /point 1 has x = Infinity/)
  })

  it('rejects polygons with fewer than 3 points and odd coordinate counts', () => {
    fails(() => rasterizePolygons([[0, 0, 1, 0, 1, 1], [0, 0, 3, 3], [1, 1, 2, 2, 3, 1]], 10, 10), /polygon 1 has 2 points; at least 3 are needed/)
    fails(() => rasterizePolygon([0, 0, 1, 0, 1], 10, 10), /odd number of coordinates \(5\)/)
    fails(() => segmentationToRle([[0, 0, 1, 0]], 10, 10), /polygon 0 has 2 points; at least 3 are needed/)
    fails(() => segmentationToRle([], 10, 10), /non-empty list of polygons/)
    fails(() => segmentationToRle([[0, 0, 1, 0, 'x', 1]], 10, 10), /segmentation\[0\]\[4\] must be a finite number/)
  })

  it('refuses coordinates so far outside the image that the outline walk would run for seconds', () => {
    fails(() => rasterizePolygon([0, 0, 1e8, 0, 0, 1e8], 10, 10), /lie far outside the 10x10 image/)
  })
})

describe('bad masks and mismatched operands', () => {
  it('rejects non-binary bytes and wrong lengths, naming the pixel', () => {
    fails(() => maskFromData(3, 2, Uint8Array.from([0, 1, 0, 0, 255, 0])), /found 255 at pixel \(1, 1\)/)
    fails(() => maskFromData(3, 2, new Uint8Array(5)), /5 bytes but size 3x2 needs 6/)
    fails(() => assertBinaryMask({ width: 3, height: 2, data: [0, 1] }), /data must be a Uint8Array/)
    fails(() => encodeRle({ width: 40, height: 2, data: new Uint8Array(80).fill(2) }), /only 0 and 1, found 2 at pixel \(0, 0\)/)
    fails(() => encodeRle({ width: 3, height: 2, data: Uint8Array.from([0, 0, 0, 0, 0, 7]) }), /found 7 at pixel \(2, 1\)/)
  })

  it('rejects merging or comparing masks of different sizes', () => {
    const a = cocoRle(2, 3, [6])
    const b = cocoRle(3, 2, [6])
    fails(() => mergeRles([a, b]), /merge: RLE 1: RLE sizes differ \(\[2,3\] vs \[3,2\]\)/)
    fails(() => rleIou(a, b), /iou: RLE sizes differ/)
    fails(() => mergeRles([]), /at least one RLE/)
    fails(() => unionMasks(createMask(2, 2), createMask(2, 3)), /union: mask sizes differ \(2x2 vs 2x3\)/)
  })
})
