/**
 * COCO RLE of a mask scaled to another size by nearest-neighbour sampling (pixel centres), built
 * straight from the small mask's columns. Decoders return masks at up to ~1024 px for speed; the
 * stored annotation must be at the image's full size, and materialising a 12-megapixel byte mask
 * only to run-length encode it would cost more than the encoding itself. The work is one step per
 * (output column, source row): about 4000 x 900 for a 12-megapixel photo.
 */
import { Uint32List } from './buffers'
import { checkedSize } from './errors'
import type { BinaryMask } from './mask'
import type { CocoRle } from './rle'

/** For each output index along one axis, the source index whose centre it falls in. */
export function nearestSources(inSize: number, outSize: number): Int32Array {
  const map = new Int32Array(outSize)
  for (let i = 0; i < outSize; i++) map[i] = Math.min(inSize - 1, Math.floor(((i + 0.5) * inSize) / outSize))
  return map
}

/** encodeRle(nearest-neighbour resize of `mask` to width x height), without building the resized mask. */
export function encodeRleScaled(mask: BinaryMask, width: number, height: number): CocoRle {
  checkedSize(width, height, 'scaled mask')
  const columns = nearestSources(mask.width, width)
  const rows = nearestSources(mask.height, height)
  // Output rows come in blocks that read the same source row.
  const blockRow: number[] = []
  const blockLength: number[] = []
  for (let y = 0; y < height; y++) {
    if (blockRow.length > 0 && blockRow[blockRow.length - 1] === rows[y]) blockLength[blockLength.length - 1]!++
    else {
      blockRow.push(rows[y]!)
      blockLength.push(1)
    }
  }
  const rowOffsets = blockRow.map((row) => row * mask.width)
  const counts = new Uint32List()
  const src = mask.data
  let value = 0
  let run = 0
  for (let x = 0; x < width; x++) {
    const c = columns[x]!
    for (let b = 0; b < rowOffsets.length; b++) {
      const v = src[rowOffsets[b]! + c] ? 1 : 0
      if (v === value) run += blockLength[b]!
      else {
        counts.push(run)
        value = v
        run = blockLength[b]!
      }
    }
  }
  counts.push(run)
  return { size: [height, width], counts: counts.view().slice() }
}
