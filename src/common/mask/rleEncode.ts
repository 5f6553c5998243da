/**
 * Row-major mask -> column-major COCO RLE without walking columns.
 *
 * A literal column walk reads with stride `width` and misses the cache on nearly every pixel.
 * Instead each row is compared with the row above, four bytes per 32-bit word; only words that
 * differ are looked at byte by byte. Every differing byte is a vertical transition (x, y), which
 * is a run boundary at stream position x * height + y; so are column tops whose value differs
 * from the previous column's bottom pixel. A counting sort by column puts the boundaries in
 * stream order, and their differences are the counts.
 *
 * Transitions are buffered in a reusable scratch array; when a mask has more than fit (dense
 * stripes or noise), the rows are scanned a second time and scattered straight into the output,
 * which avoids growing a transition list as large as the mask.
 */
import { MaskFormatError, checkedSize } from './errors'
import { firstNonBinaryIndex, type BinaryMask } from './mask'
import type { CocoRle } from './rle'

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1
/** Below this width the word-wise scan costs more than it saves. */
const WORD_SCAN_MIN_WIDTH = 32
/** The scratch list grows to at most this many transitions (4 bytes each). */
const SCRATCH_LIMIT = 1 << 21

let scratch = new Int32Array(1 << 15)

/** Encodes a row-major mask as column-major COCO RLE (pycocotools `encode`); rejects bytes other than 0/1. */
export function encodeRle(mask: BinaryMask): CocoRle {
  const { width, height, data } = mask
  checkedSize(width, height)
  if (!(data instanceof Uint8Array) || data.length !== width * height) {
    throw new MaskFormatError(`mask data must be a Uint8Array of ${width * height} bytes for size ${width}x${height}`)
  }
  const perColumn = new Int32Array(width)
  const rowEnds = new Int32Array(height)
  const buffer = scratch
  const scan = scanRows(width, height, data, { perColumn, rowEnds, buffer, counts: null, cursor: null })
  if (scan.orBits > 1) {
    const bad = firstNonBinaryIndex(data)
    throw new MaskFormatError(`mask data must hold only 0 and 1, found ${data[bad]} at pixel (${bad % width}, ${Math.floor(bad / width)})`)
  }
  // Column tops that differ from the previous column's bottom pixel are boundaries too.
  const lastRow = (height - 1) * width
  const cursor = new Int32Array(width)
  let total = 0
  for (let x = 0; x < width; x++) {
    cursor[x] = total
    total += perColumn[x]! + (data[x] !== (x === 0 ? 0 : data[lastRow + x - 1]) ? 1 : 0)
  }
  const counts = new Uint32Array(total + 1)
  for (let x = 0; x < width; x++) {
    if (data[x] !== (x === 0 ? 0 : data[lastRow + x - 1])) counts[cursor[x]!++] = x * height
  }
  if (scan.transitions <= buffer.length) {
    let start = 0
    for (let y = 1; y < height; y++) {
      const end = rowEnds[y]!
      for (let i = start; i < end; i++) {
        const x = buffer[i]!
        counts[cursor[x]!++] = x * height + y
      }
      start = end
    }
  } else {
    scanRows(width, height, data, { perColumn, rowEnds, buffer, counts, cursor })
    if (scan.transitions <= SCRATCH_LIMIT) scratch = new Int32Array(2 ** Math.ceil(Math.log2(scan.transitions)))
  }
  // `counts` holds the sorted stream positions of run boundaries; turn them into run lengths.
  let previous = 0
  for (let i = 0; i < total; i++) {
    const position = counts[i]!
    counts[i] = position - previous
    previous = position
  }
  counts[total] = width * height - previous
  return { size: [height, width], counts }
}

interface ScanTarget {
  readonly perColumn: Int32Array
  readonly rowEnds: Int32Array
  /** Collect mode: transition columns in row order, as many as fit. */
  readonly buffer: Int32Array
  /** Scatter mode (second pass): write positions straight into `counts` at `cursor[x]`. */
  readonly counts: Uint32Array | null
  readonly cursor: Int32Array | null
}

/** One pass over the rows: counts transitions per column and either buffers or scatters them. */
function scanRows(width: number, height: number, data: Uint8Array, target: ScanTarget): { transitions: number; orBits: number } {
  const { perColumn, rowEnds, buffer, counts, cursor } = target
  const capacity = buffer.length
  let n = 0
  let orBits = 0
  // Returns the new transition count; kept free of captured state so the JIT inlines it.
  const record = (x: number, y: number, n: number): number => {
    if (counts !== null) counts[cursor![x]!++] = x * height + y
    else {
      if (n < capacity) buffer[n] = x
      perColumn[x]!++
    }
    return n + 1
  }
  const recordWord = (diff: number, x: number, y: number, n: number): number => {
    if ((diff & 0xff) !== 0) n = record(x, y, n)
    if ((diff & 0xff00) !== 0) n = record(x + 1, y, n)
    if ((diff & 0xff0000) !== 0) n = record(x + 2, y, n)
    if ((diff & 0xff000000) !== 0) n = record(x + 3, y, n)
    return n
  }
  if (LITTLE_ENDIAN && width >= WORD_SCAN_MIN_WIDTH) {
    const wordsPerRow = Math.ceil(width / 4)
    // Read rows as words in place when aligned, else through a zero-padded two-row ring.
    const aligned = width % 4 === 0 && data.byteOffset % 4 === 0
    const ring = aligned ? null : new Uint8Array(8 * wordsPerRow)
    const words = aligned ? new Int32Array(data.buffer, data.byteOffset, (width * height) >> 2) : new Int32Array(ring!.buffer)
    for (let y = 0; y < height; y++) {
      let cur = y * wordsPerRow
      let prev = cur - wordsPerRow
      if (ring !== null) {
        cur = (y & 1) * wordsPerRow
        prev = wordsPerRow - cur
        ring.set(data.subarray(y * width, y * width + width), cur * 4)
      }
      if (y === 0) {
        for (let k = 0; k < wordsPerRow; k++) orBits |= words[cur + k]!
        continue
      }
      let k = 0
      // Four words per step: one combined test skips 16 unchanged pixels at a time.
      for (; k + 4 <= wordsPerRow; k += 4) {
        const a0 = words[cur + k]!
        const a1 = words[cur + k + 1]!
        const a2 = words[cur + k + 2]!
        const a3 = words[cur + k + 3]!
        orBits |= a0 | a1 | a2 | a3
        const d0 = a0 ^ words[prev + k]!
        const d1 = a1 ^ words[prev + k + 1]!
        const d2 = a2 ^ words[prev + k + 2]!
        const d3 = a3 ^ words[prev + k + 3]!
        if ((d0 | d1 | d2 | d3) === 0) continue
        if (d0 !== 0) n = recordWord(d0, k << 2, y, n)
        if (d1 !== 0) n = recordWord(d1, (k + 1) << 2, y, n)
        if (d2 !== 0) n = recordWord(d2, (k + 2) << 2, y, n)
        if (d3 !== 0) n = recordWord(d3, (k + 3) << 2, y, n)
      }
      for (; k < wordsPerRow; k++) {
        const word = words[cur + k]!
        orBits |= word
        const diff = word ^ words[prev + k]!
        if (diff !== 0) n = recordWord(diff, k << 2, y, n)
      }
      rowEnds[y] = n
    }
    orBits = (orBits | (orBits >>> 8) | (orBits >>> 16) | (orBits >>> 24)) & 0xff
  } else {
    for (let x = 0; x < width; x++) orBits |= data[x]!
    for (let y = 1; y < height; y++) {
      const row = y * width
      for (let x = 0; x < width; x++) {
        const value = data[row + x]!
        orBits |= value
        if (value !== data[row - width + x]) n = record(x, y, n)
      }
      rowEnds[y] = n
    }
  }
  return { transitions: n, orBits }
}
