/** The one place the renderer turns a compressed COCO RLE into run lengths: the mask core's decoder. */
import type { RleMask } from '../../../common/ipc/types'
import { decompressRle } from '../../../common/mask'

export function decodeCocoRuns(rle: RleMask): Uint32Array {
  return decompressRle(rle, 'mask').counts
}
