/**
 * COCO run-length encoding, bit-exact with pycocotools (maskApi.c): counts are run lengths over the
 * column-major (Fortran) pixel stream, alternating background/foreground and starting with a
 * background run (possibly 0); size is [height, width].
 *
 * The mask is row-major, so a literal column walk would read with stride `width` and miss the
 * cache on every pixel. Encoding instead compares each row with the one above, four bytes at a
 * time, and records the columns where the value changes; those vertical transitions, grouped by
 * column, are exactly the run boundaries of the column-major stream. Decoding reverses it: each
 * row is a copy of the previous row with the transition columns flipped.
 */
import { MaskFormatError, checkedSize } from './errors'
import { firstNonBinaryIndex, type BinaryMask } from './mask'
import { growUint32 } from './buffers'

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

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1
/** Below this width the word-wise scan costs more than it saves. */
const WORD_SCAN_MIN_WIDTH = 32

/** Builds a validated CocoRle from a size and counts (copied into a Uint32Array); throws MaskFormatError. */
export function cocoRle(height: number, width: number, counts: ArrayLike<number>, field = 'RLE'): CocoRle {
  checkedSize(width, height, field)
  const out = new Uint32Array(counts.length)
  let sum = 0
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0) {
      throw new MaskFormatError(`${field} counts[${i}] must be a non-negative integer, got ${String(c)}`)
    }
    sum += c
    if (sum > width * height) break
    out[i] = c
  }
  assertCountsSum(sum, height, width, field)
  return { size: [height, width], counts: out }
}

/** Throws unless counts summing to `sum` fill a [height, width] image exactly. */
export function assertCountsSum(sum: number, height: number, width: number, field = 'RLE'): void {
  if (sum !== height * width) {
    const total = sum > height * width ? `more than ${height * width}` : String(sum)
    throw new MaskFormatError(`${field} counts sum to ${total} but size [${height},${width}] needs ${height * width}`)
  }
}

/** Throws a MaskFormatError unless the RLE's size is valid and its counts sum to height * width. */
export function assertCocoRle(rle: CocoRle, field = 'RLE'): void {
  const [height, width] = rle.size
  checkedSize(width, height, field)
  if (!(rle.counts instanceof Uint32Array)) throw new MaskFormatError(`${field} counts must be a Uint32Array`)
  let sum = 0
  for (let i = 0; i < rle.counts.length; i++) sum += rle.counts[i]!
  assertCountsSum(sum, height, width, field)
}

/** Encodes a row-major mask as column-major COCO RLE (pycocotools `encode`); rejects bytes other than 0/1. */
export function encodeRle(mask: BinaryMask): CocoRle {
  const { width, height, data } = mask
  checkedSize(width, height)
  if (data.length !== width * height) {
    throw new MaskFormatError(`mask data has ${data.length} bytes but size ${width}x${height} needs ${width * height}`)
  }
  const scan = collectVerticalTransitions(width, height, data)
  if (scan.orBits > 1) {
    const bad = firstNonBinaryIndex(data)
    throw new MaskFormatError(`mask data must hold only 0 and 1, found ${data[bad]} at pixel (${bad % width}, ${Math.floor(bad / width)})`)
  }
  return { size: [height, width], counts: transitionsToCounts(width, height, data, scan) }
}

interface TransitionScan {
  /** Column index of every vertical transition, row by row. */
  readonly columns: Uint32Array
  /** `rowEnds[r]`: number of entries of `columns` belonging to rows 1..r. */
  readonly rowEnds: Uint32Array
  readonly perColumn: Uint32Array
  /** OR of every pixel byte, to reject non-binary data without a second pass. */
  readonly orBits: number
}

function collectVerticalTransitions(width: number, height: number, data: Uint8Array): TransitionScan {
  let columns: Uint32Array = new Uint32Array(Math.max(1024, 2 * (width + height)))
  let count = 0
  const rowEnds = new Uint32Array(height)
  const perColumn = new Uint32Array(width)
  let orBits = 0
  const aligned = width % 4 === 0 && data.byteOffset % 4 === 0
  if (LITTLE_ENDIAN && width >= WORD_SCAN_MIN_WIDTH) {
    const wordsPerRow = Math.ceil(width / 4)
    // Rows are read as 32-bit words: in place when aligned, else through a zero-padded two-row ring.
    const whole = aligned ? new Uint32Array(data.buffer, data.byteOffset, (width * height) / 4) : null
    const ring = aligned ? null : new Uint8Array(2 * wordsPerRow * 4)
    const ringWords = ring ? new Uint32Array(ring.buffer) : null
    const words = whole ?? ringWords!
    for (let y = 0; y < height; y++) {
      let cur: number
      let prev: number
      if (whole) {
        cur = y * wordsPerRow
        prev = cur - wordsPerRow
      } else {
        cur = (y & 1) * wordsPerRow
        prev = wordsPerRow - cur
        ring!.set(data.subarray(y * width, y * width + width), cur * 4)
      }
      if (y === 0) {
        for (let k = 0; k < wordsPerRow; k++) orBits |= words[cur + k]!
        continue
      }
      for (let k = 0; k < wordsPerRow; k++) {
        const word = words[cur + k]!
        orBits |= word
        const diff = word ^ words[prev + k]!
        if (diff === 0) continue
        if (count + 4 > columns.length) columns = growUint32(columns, count + 4)
        const x = k * 4
        if ((diff & 0xff) !== 0) { columns[count++] = x; perColumn[x]!++ }
        if ((diff & 0xff00) !== 0) { columns[count++] = x + 1; perColumn[x + 1]!++ }
        if ((diff & 0xff0000) !== 0) { columns[count++] = x + 2; perColumn[x + 2]!++ }
        if ((diff & 0xff000000) !== 0) { columns[count++] = x + 3; perColumn[x + 3]!++ }
      }
      rowEnds[y] = count
    }
    orBits = (orBits | (orBits >>> 8) | (orBits >>> 16) | (orBits >>> 24)) & 0xff
  } else {
    for (let i = 0; i < width; i++) orBits |= data[i]!
    for (let y = 1; y < height; y++) {
      const row = y * width
      for (let x = 0; x < width; x++) {
        const value = data[row + x]!
        orBits |= value
        if (value === data[row - width + x]) continue
        if (count === columns.length) columns = growUint32(columns, count + 1)
        columns[count++] = x
        perColumn[x]!++
      }
      rowEnds[y] = count
    }
  }
  return { columns, rowEnds, perColumn, orBits }
}

/** Turns per-row transition columns into column-major run lengths (a counting sort by column). */
function transitionsToCounts(width: number, height: number, data: Uint8Array, scan: TransitionScan): Uint32Array {
  const { columns, rowEnds, perColumn } = scan
  const lastRow = (height - 1) * width
  // A run also ends where a column starts with a value different from the previous column's last pixel.
  const cursor = new Uint32Array(width)
  let total = 0
  for (let x = 0; x < width; x++) {
    const before = x === 0 ? 0 : data[lastRow + x - 1]!
    cursor[x] = total
    total += perColumn[x]! + (data[x] !== before ? 1 : 0)
  }
  const counts = new Uint32Array(total + 1)
  for (let x = 0; x < width; x++) {
    const before = x === 0 ? 0 : data[lastRow + x - 1]!
    if (data[x] !== before) counts[cursor[x]!++] = x * height
  }
  let start = 0
  for (let y = 1; y < height; y++) {
    const end = rowEnds[y]!
    for (let i = start; i < end; i++) {
      const x = columns[i]!
      counts[cursor[x]!++] = x * height + y
    }
    start = end
  }
  // `counts` holds sorted stream positions of run boundaries; turn them into run lengths in place.
  let previous = 0
  for (let i = 0; i < total; i++) {
    const position = counts[i]!
    counts[i] = position - previous
    previous = position
  }
  counts[total] = width * height - previous
  return counts
}

/** Decodes COCO RLE to a row-major mask; throws MaskFormatError if the counts do not fill the size exactly. */
export function decodeRle(rle: CocoRle): BinaryMask {
  const [height, width] = rle.size
  checkedSize(width, height, 'RLE')
  const { counts } = rle
  const total = width * height
  // Pass 1: value at the top of each column, and how many row-to-row flips each row has.
  const topRow = new Uint8Array(width)
  const flipsPerRow = new Uint32Array(height + 1)
  let position = 0
  let value = 0
  let nextColumn = 0
  for (let i = 0; i < counts.length; i++) {
    const end = position + counts[i]!
    if (end > total) assertCountsSum(end, height, width)
    if (value === 1) for (let top = nextColumn * height; top < end; top += height) topRow[nextColumn++] = 1
    else nextColumn = Math.max(nextColumn, Math.ceil(end / height))
    position = end
    value ^= 1
    if (i < counts.length - 1 && position < total) flipsPerRow[position % height]!++
  }
  assertCountsSum(position, height, width)
  // Row 0 flips are column starts, already in topRow; prefix sums give each row's slice.
  flipsPerRow[0] = 0
  const rowStart = new Uint32Array(height + 1)
  for (let y = 0; y < height; y++) rowStart[y + 1] = rowStart[y]! + flipsPerRow[y]!
  const flipColumns = new Uint32Array(rowStart[height]!)
  const fill = rowStart.slice(0, height)
  position = 0
  for (let i = 0; i < counts.length - 1; i++) {
    position += counts[i]!
    if (position >= total) break
    const y = position % height
    if (y !== 0) flipColumns[fill[y]!++] = (position - y) / height
  }
  const data = new Uint8Array(total)
  data.set(topRow, 0)
  for (let y = 1; y < height; y++) {
    const row = y * width
    if (width >= 16) data.copyWithin(row, row - width, row)
    else for (let x = 0; x < width; x++) data[row + x] = data[row - width + x]!
    for (let i = rowStart[y]!; i < rowStart[y + 1]!; i++) data[row + flipColumns[i]!]! ^= 1
  }
  return { width, height, data }
}

/** Foreground pixel count: the sum of the odd-index counts (pycocotools `area`). */
export function rleArea(rle: CocoRle): number {
  const { counts } = rle
  let area = 0
  for (let i = 1; i < counts.length; i += 2) area += counts[i]!
  return area
}

/**
 * Bounding box exactly as pycocotools' `toBbox` computes it from the runs (uint32 arithmetic
 * included). For canonical RLE (no empty foreground runs) it is the tight box of the foreground;
 * an empty mask gives [0, 0, 0, 0].
 */
export function rleBbox(rle: CocoRle): CocoBbox {
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
