/** fast-check generators for masks: noise of any density, and unions/differences of random ellipses. */
import fc from 'fast-check'
import type { BinaryMask } from '../../../src/common/mask'

export interface Ellipse {
  cx: number
  cy: number
  rx: number
  ry: number
  erase: boolean
}

/** Paints ellipses in order (erasing ones cut holes), pixel centres inside. */
export function ellipseMask(width: number, height: number, ellipses: readonly Ellipse[]): BinaryMask {
  const data = new Uint8Array(width * height)
  for (const e of ellipses) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const q = ((x + 0.5 - e.cx) / e.rx) ** 2 + ((y + 0.5 - e.cy) / e.ry) ** 2
        if (q <= 1) data[y * width + x] = e.erase ? 0 : 1
      }
    }
  }
  return { width, height, data }
}

const size = (max: number) => fc.integer({ min: 1, max })

/** Noise of a given size and random density. */
export const sizedNoise = (width: number, height: number): fc.Arbitrary<BinaryMask> =>
  fc.tuple(fc.integer({ min: 0, max: 100 }), fc.uint8Array({ minLength: width * height, maxLength: width * height })).map(([percent, bytes]) => ({
    width,
    height,
    data: bytes.map((b) => (b * 100 < percent * 256 ? 1 : 0)),
  }))

/** Up to six painted or erased ellipses on a canvas of a given size. */
export const sizedBlobs = (width: number, height: number): fc.Arbitrary<BinaryMask> =>
  fc
    .array(
      fc.record({
        cx: fc.double({ min: -5, max: width + 5, noNaN: true }),
        cy: fc.double({ min: -5, max: height + 5, noNaN: true }),
        rx: fc.double({ min: 0.5, max: Math.max(1, width / 2), noNaN: true }),
        ry: fc.double({ min: 0.5, max: Math.max(1, height / 2), noNaN: true }),
        erase: fc.boolean(),
      }),
      { minLength: 0, maxLength: 6 },
    )
    .map((ellipses) => ellipseMask(width, height, ellipses))

export const noiseMask = (maxSide = 48): fc.Arbitrary<BinaryMask> => fc.tuple(size(maxSide), size(maxSide)).chain(([w, h]) => sizedNoise(w, h))
export const blobMask = (maxSide = 64): fc.Arbitrary<BinaryMask> => fc.tuple(size(maxSide), size(maxSide)).chain(([w, h]) => sizedBlobs(w, h))

/** Any mask: noise or blobs, small or wide (widths >= 32 take the word-wise encoder path). */
export const anyMask = (): fc.Arbitrary<BinaryMask> => fc.oneof(noiseMask(), blobMask(), blobMask(130), noiseMask(90))

/** Two masks of the same size (sometimes identical). */
export const maskPair = (): fc.Arbitrary<[BinaryMask, BinaryMask]> =>
  anyMask().chain((a) =>
    fc.oneof(sizedNoise(a.width, a.height), sizedBlobs(a.width, a.height), fc.constant(a)).map((b): [BinaryMask, BinaryMask] => [a, b]),
  )

export { naiveCounts } from '../../helpers/naiveRle'
