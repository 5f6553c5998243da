import type { BinaryMask } from '../../src/common/mask'

/**
 * Straightforward per-pixel COCO encoder (column walk over the row-major bytes): the reference for
 * the mask core's property tests and the baseline of its benchmark.
 */
export function naiveCounts(mask: BinaryMask): number[] {
  const counts: number[] = []
  let value = 0
  let run = 0
  for (let x = 0; x < mask.width; x++) {
    for (let y = 0; y < mask.height; y++) {
      const pixel = mask.data[y * mask.width + x]!
      if (pixel !== value) {
        counts.push(run)
        run = 0
        value = pixel
      }
      run++
    }
  }
  counts.push(run)
  return counts
}
