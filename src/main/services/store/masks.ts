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

/** From COCO RLE (any valid runs; empty interior runs are merged first, pixels unchanged). */
export function storedMaskFromRle(rle: CocoRle): StoredMask {
  const canonical = canonicalRle(rle)
  return { size: [canonical.size[0], canonical.size[1]], counts: compressRle(canonical).counts, area: rleArea(canonical), bbox: rleBbox(canonical) }
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
