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

/**
 * encodeRle(nearest-neighbour resize of `mask` to width x height), without building the resized
 * mask. Upscaled output columns repeat their source column (a 1254-wide decoder mask makes 6000
 * output columns from 1254 sources), so each source column's runs, in output rows, are found
 * once and replayed for every output column that reads it: the work is (source columns x source
 * row blocks) plus (output columns x runs per column), not output columns x row blocks.
 */
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
  const src = mask.data
  // The current source column's runs in output rows: values alternate, starting with columnFirst.
  const columnRuns = new Int32Array(rowOffsets.length)
  let columnRunCount = 0
  let columnFirst = 0
  let cachedColumn = -1
  const counts = new Uint32List()
  let value = 0
  let run = 0
  for (let x = 0; x < width; x++) {
    const c = columns[x]!
    if (c !== cachedColumn) {
      cachedColumn = c
      columnRunCount = 0
      let current = -1
      for (let b = 0; b < rowOffsets.length; b++) {
        const v = src[rowOffsets[b]! + c] ? 1 : 0
        if (v === current) columnRuns[columnRunCount - 1]! += blockLength[b]!
        else {
          if (current < 0) columnFirst = v
          current = v
          columnRuns[columnRunCount++] = blockLength[b]!
        }
      }
    }
    // Append the column: its first run may continue the run the previous column ended with.
    let v = columnFirst
    for (let r = 0; r < columnRunCount; r++) {
      if (v === value) run += columnRuns[r]!
      else {
        counts.push(run)
        value = v
        run = columnRuns[r]!
      }
      v ^= 1
    }
  }
  counts.push(run)
  return { size: [height, width], counts: counts.view().slice() }
}
