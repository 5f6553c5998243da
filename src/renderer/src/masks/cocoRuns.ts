/**
 * The one place the renderer turns a compressed COCO RLE into run lengths.
 * TEMPORARY: the mask core (src/common/mask, branch feat/mask) is not on main yet; until it is
 * merged this refuses with a clear message instead of carrying a second RLE codec.
 */
import type { RleMask } from '../../../common/ipc/types'

export function decodeCocoRuns(rle: RleMask): ArrayLike<number> {
  throw new Error(`cannot draw a ${rle.size[1]}x${rle.size[0]} mask: the mask core (src/common/mask) is not merged into this build yet`)
}
