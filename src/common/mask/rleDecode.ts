/**
 * Column-major COCO RLE -> row-major mask without column writes: every run boundary inside a
 * column is a row-to-row flip at (x, y); boundaries at column tops only set row 0. So row 0 is
 * written from the column-top values, and every later row is a copy of the row above with its
 * flip columns toggled (a counting sort by row groups them).
 */
import { MaskFormatError, checkedSize } from './errors'
import type { BinaryMask } from './mask'
import { assertCountsSum, type CocoRle } from './rle'

/** Decodes COCO RLE to a new row-major mask; throws MaskFormatError if the counts do not fill the size exactly. */
export function decodeRle(rle: CocoRle): BinaryMask {
  const [height, width] = rle.size
  checkedSize(width, height, 'RLE')
  const data = new Uint8Array(width * height)
  decodeRleInto(rle, data)
  return { width, height, data }
}

/** Decodes COCO RLE into `target` (width * height bytes, fully overwritten), e.g. to reuse a buffer. */
export function decodeRleInto(rle: CocoRle, target: Uint8Array): void {
  const [height, width] = rle.size
  checkedSize(width, height, 'RLE')
  const total = width * height
  if (target.length !== total) throw new MaskFormatError(`decode target has ${target.length} bytes but size [${height},${width}] needs ${total}`)
  const { counts } = rle
  let sum = 0
  for (let i = 0; i < counts.length; i++) sum += counts[i]!
  assertCountsSum(sum, height, width)
  // Pass 1: the value at the top of each column, and how many flips each row has.
  const topRow = new Uint8Array(width)
  const rowStart = new Int32Array(height + 1)
  let position = 0
  let value = 0
  let nextColumn = 0
  for (let i = 0; i < counts.length; i++) {
    const end = position + counts[i]!
    if (value === 1) for (let top = nextColumn * height; top < end; top += height) topRow[nextColumn++] = 1
    else nextColumn = Math.max(nextColumn, Math.ceil(end / height))
    position = end
    value ^= 1
    if (i < counts.length - 1 && position < total) rowStart[(position % height) + 1]!++
  }
  // Flips at y = 0 are column tops, already in topRow.
  rowStart[1] = 0
  for (let y = 1; y <= height; y++) rowStart[y]! += rowStart[y - 1]!
  const flips = rowStart[height]!
  const flipColumns = width <= 0x10000 ? new Uint16Array(flips) : new Uint32Array(flips)
  const fill = rowStart.slice(0, height)
  position = 0
  for (let i = 0; i < counts.length - 1; i++) {
    position += counts[i]!
    if (position >= total) break
    const y = position % height
    if (y !== 0) flipColumns[fill[y]!++] = (position - y) / height
  }
  target.set(topRow, 0)
  for (let y = 1; y < height; y++) {
    const row = y * width
    if (width >= 16) target.copyWithin(row, row - width, row)
    else for (let x = 0; x < width; x++) target[row + x] = target[row - width + x]!
    for (let i = rowStart[y]!; i < rowStart[y + 1]!; i++) target[row + flipColumns[i]!]! ^= 1
  }
}
