/**
 * pycocotools' compressed RLE string (maskApi.c rleToString / rleFrString): each count, or from
 * the fourth on its difference to the count two places back, is written as little-endian 5-bit
 * groups, 0x20 flags "more groups follow", the last group's 0x10 is the sign, and every group is
 * offset by 48 into the printable range '0'..'o'.
 */
import { MaskFormatError, checkedSize } from './errors'
import { assertCountsSum, type CocoRle, type CompressedCocoRle } from './rle'

const FIRST_CHAR = 48
const LAST_CHAR = FIRST_CHAR + 63
/** Seven 5-bit groups cover any 32-bit signed value. */
const MAX_GROUPS = 7
const CHUNK = 8192

/** Compresses RLE counts into pycocotools' string form (byte-identical to `mask.encode`). */
export function compressRle(rle: CocoRle): CompressedCocoRle {
  return { size: rle.size, counts: countsToString(rle.counts) }
}

/** Decompresses pycocotools' string form; throws MaskFormatError on a malformed string or wrong total. */
export function decompressRle(rle: CompressedCocoRle, field = 'RLE'): CocoRle {
  const [height, width] = rle.size
  checkedSize(width, height, field)
  if (typeof rle.counts !== 'string') throw new MaskFormatError(`${field} counts must be a string`)
  const counts = countsFromString(rle.counts, field)
  let sum = 0
  for (let i = 0; i < counts.length; i++) sum += counts[i]!
  assertCountsSum(sum, height, width, field)
  return { size: [height, width], counts }
}

/** The compressed string for a counts array (counts must be below 2^31, as validated RLE guarantees). */
export function countsToString(counts: Uint32Array): string {
  // Characters go through a small reused buffer, flushed in chunks, never one as large as the output.
  const codes = new Uint8Array(CHUNK + MAX_GROUPS)
  const parts: string[] = []
  let length = 0
  for (let i = 0; i < counts.length; i++) {
    // Counts below 2^31 keep the value and its delta inside int32, where & and >> match C's long.
    let value = i > 2 ? counts[i]! - counts[i - 2]! : counts[i]!
    for (;;) {
      let group = value & 0x1f
      value >>= 5
      const more = (group & 0x10) !== 0 ? value !== -1 : value !== 0
      if (more) group |= 0x20
      codes[length++] = group + FIRST_CHAR
      if (!more) break
    }
    if (length >= CHUNK) {
      parts.push(String.fromCharCode.apply(null, codes.subarray(0, length) as unknown as number[]))
      length = 0
    }
  }
  parts.push(String.fromCharCode.apply(null, codes.subarray(0, length) as unknown as number[]))
  return parts.length === 1 ? parts[0]! : parts.join('')
}

/** Parses the compressed string into counts; rejects bad characters, truncated values and negative counts. */
export function countsFromString(text: string, field = 'RLE'): Uint32Array {
  // Each value ends at the first character without the 0x20 flag: count them to size the output.
  let values = 0
  for (let p = 0; p < text.length; p++) if (((text.charCodeAt(p) - FIRST_CHAR) & 0x20) === 0) values++
  const counts = new Uint32Array(values)
  let m = 0
  let p = 0
  while (p < text.length) {
    const valueStart = p
    let value = 0
    let scale = 1
    let groups = 0
    for (;;) {
      if (p >= text.length) {
        throw new MaskFormatError(`${field} counts string ends inside the value starting at character ${valueStart}`)
      }
      const code = text.charCodeAt(p)
      if (code < FIRST_CHAR || code > LAST_CHAR) {
        throw new MaskFormatError(`${field} counts string has invalid character ${JSON.stringify(text[p])} at index ${p} (allowed: '0'..'o')`)
      }
      const group = code - FIRST_CHAR
      value += (group & 0x1f) * scale
      scale *= 32
      p++
      groups++
      if ((group & 0x20) === 0) {
        if ((group & 0x10) !== 0) value -= scale // sign-extend from the last group's 0x10 bit
        break
      }
      if (groups === MAX_GROUPS) {
        throw new MaskFormatError(`${field} counts string has a value longer than ${MAX_GROUPS} characters at index ${valueStart}`)
      }
    }
    if (m > 2) value += counts[m - 2]!
    if (value < 0 || value > 0xffffffff) {
      throw new MaskFormatError(`${field} counts string decodes count ${m} to ${value}, which is not a valid run length`)
    }
    counts[m++] = value
  }
  return counts
}
