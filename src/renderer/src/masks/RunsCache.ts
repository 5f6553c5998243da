/**
 * Decoded COCO runs per RLE string, shared by the hit test and the bitmaps so a mask's string is
 * decompressed once. Bounded: the least recently used entries go first.
 */
import type { AnnotationInfo, RleMask } from '../../../common/ipc/types'
import { RunIndex } from './runIndex'

/** Compressed RLE string to column-major run lengths (the mask core's decompressRle). */
export type RunsDecoder = (rle: RleMask) => ArrayLike<number>

const MAX_ENTRIES = 512

export class RunsCache {
  private readonly entries = new Map<string, { runs: ArrayLike<number>; index: RunIndex | null }>()
  decodeCount = 0

  constructor(private readonly decode: RunsDecoder) {}

  runs(rle: RleMask): ArrayLike<number> {
    return this.entry(rle).runs
  }

  /** Point-in-mask, for hover and selection; false for a mask the decoder rejects. */
  contains = (annotation: AnnotationInfo, x: number, y: number): boolean => {
    if (!annotation.mask) return false
    try {
      const entry = this.entry(annotation.mask)
      entry.index ??= new RunIndex(entry.runs, annotation.mask.size[0], annotation.mask.size[1])
      return entry.index.contains(x, y)
    } catch {
      return false
    }
  }

  private entry(rle: RleMask): { runs: ArrayLike<number>; index: RunIndex | null } {
    const key = `${rle.size[0]}x${rle.size[1]}:${rle.counts}`
    const found = this.entries.get(key)
    if (found) {
      // Re-insert to mark it recently used.
      this.entries.delete(key)
      this.entries.set(key, found)
      return found
    }
    const entry = { runs: this.decode(rle), index: null }
    this.decodeCount++
    this.entries.set(key, entry)
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!)
    return entry
  }
}
