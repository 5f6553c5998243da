/**
 * The only way masks enter the store: a binary mask or COCO RLE becomes a StoredMask (compressed
 * RLE string plus area and bbox measured from the same runs by the mask core), so the columns
 * export writes can never disagree with the pixels.
 */
import {
  canonicalRle,
  compressRle,
  decodeRle,
  decompressRle,
  encodeRle,
  rleArea,
  rleBbox,
  type BinaryMask,
  type CocoRle,
} from '../../../common/mask/index'
import type { StoredMask } from './types'

/**
 * From COCO RLE (any valid runs; empty interior runs are merged first, pixels unchanged).
 * `compressed`: the string these runs were decoded from, kept as is when the runs are already
 * canonical (re-encoding a million imported strings costs seconds and changes nothing).
 */
export function storedMaskFromRle(rle: CocoRle, compressed?: string): StoredMask {
  const size: [number, number] = [rle.size[0], rle.size[1]]
  if (compressed !== undefined && isCanonical(rle.counts)) return { size, counts: compressed, area: rleArea(rle), bbox: rleBbox(rle) }
  const canonical = canonicalRle(rle)
  return { size, counts: compressRle(canonical).counts, area: rleArea(canonical), bbox: rleBbox(canonical) }
}

/** No empty run after the first (the first may be 0: a mask starting with foreground). */
function isCanonical(counts: Uint32Array): boolean {
  for (let i = 1; i < counts.length; i++) if (counts[i] === 0) return false
  return true
}

export function storedMaskFromBinary(mask: BinaryMask): StoredMask {
  return storedMaskFromRle(encodeRle(mask))
}

export function rleOfStored(mask: StoredMask): CocoRle {
  return decompressRle({ size: mask.size, counts: mask.counts })
}

export function binaryOfStored(mask: StoredMask): BinaryMask {
  return decodeRle(rleOfStored(mask))
}
