/**
 * COCO run-length encoding, bit-exact with pycocotools (maskApi.c): counts are run lengths over the
 * column-major (Fortran) pixel stream, alternating background/foreground and starting with a
 * background run (possibly 0); size is [height, width]. This file holds the types, validation,
 * area and bbox; rleEncode.ts and rleDecode.ts convert to and from row-major masks.
 */
import { MaskFormatError, checkedSize } from './errors'

/** Uncompressed COCO RLE: column-major run lengths. */
export interface CocoRle {
  readonly size: readonly [height: number, width: number]
  readonly counts: Uint32Array
}

/** Compressed COCO RLE: the same runs as pycocotools' 6-bit-per-character string. */
export interface CompressedCocoRle {
  readonly size: readonly [height: number, width: number]
  readonly counts: string
}

/** COCO bounding box [x, y, width, height] in pixels. */
export type CocoBbox = [x: number, y: number, width: number, height: number]

/** Builds a validated CocoRle from a size and counts (copied into a Uint32Array); throws MaskFormatError. */
export function cocoRle(height: number, width: number, counts: ArrayLike<number>, field = 'RLE'): CocoRle {
  checkedSize(width, height, field)
  let sum = 0
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c > 0xffffffff) {
      throw new MaskFormatError(`${field} counts[${i}] must be a non-negative integer, got ${String(c)}`)
    }
    sum += c
  }
  assertCountsSum(sum, height, width, field)
  return { size: [height, width], counts: Uint32Array.from(counts) }
}

/** Throws unless counts summing to `sum` fill a [height, width] image exactly. */
export function assertCountsSum(sum: number, height: number, width: number, field = 'RLE'): void {
  if (sum !== height * width) {
    throw new MaskFormatError(`${field} counts sum to ${sum} but size [${height},${width}] needs ${height * width}`)
  }
}

/** Foreground pixel count: the sum of the odd-index counts (pycocotools `area`). */
export function rleArea(rle: CocoRle): number {
  const { counts } = rle
  let area = 0
  for (let i = 1; i < counts.length; i += 2) area += counts[i]!
  return area
}

/** COCO box [x, y, w, h] exactly as pycocotools' `toBbox` computes it from the runs ([0, 0, 0, 0] when empty). */
export function rleBbox(rle: CocoRle): CocoBbox {
  // uint32 arithmetic as in maskApi.c: for canonical RLE this is the tight box of the foreground;
  // an empty foreground run in non-canonical input still contributes its neighbouring pixels.
  const [height, width] = rle.size
  const { counts } = rle
  const runs = counts.length - (counts.length % 2)
  if (runs === 0) return [0, 0, 0, 0]
  let xs = width
  let ys = height
  let xe = 0
  let ye = 0
  let sum = 0
  let startColumn = 0
  for (let j = 0; j < runs; j++) {
    sum = (sum + counts[j]!) >>> 0
    // Even j: first pixel of a foreground run; odd j: its last pixel.
    const t = (sum - (j & 1)) >>> 0
    const y = t % height
    const x = (t - y) / height
    if ((j & 1) === 0) startColumn = x
    else if (startColumn < x) {
      // The run wraps from one column into the next, so it covers the full height.
      ys = 0
      ye = height - 1
    }
    if (x < xs) xs = x
    if (x > xe) xe = x
    if (y < ys) ys = y
    if (y > ye) ye = y
  }
  return [xs, ys, xe - xs + 1, ye - ys + 1]
}

/** The same runs with empty interior runs removed (adjacent equal runs merged); pixels unchanged. */
export function canonicalRle(rle: CocoRle): CocoRle {
  const { counts } = rle
  const out = new Uint32Array(counts.length + 1)
  let n = 0
  let value = 0
  let outValue = 0
  for (let i = 0; i < counts.length; i++, value ^= 1) {
    const c = counts[i]!
    if (c === 0) continue
    if (n > 0 && outValue === value) out[n - 1]! += c
    else {
      if (n === 0 && value === 1) out[n++] = 0
      out[n++] = c
      outValue = value
    }
  }
  if (n === 0) out[n++] = 0
  return { size: rle.size, counts: out.slice(0, n) }
}
