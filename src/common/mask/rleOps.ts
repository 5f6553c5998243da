/**
 * Set operations and IoU computed on the runs themselves (linear in the number of runs, no
 * decoding), with pycocotools' semantics: `merge`, `iou` (including the crowd rule) and `invert`.
 */
import { MaskFormatError } from './errors'
import { rleArea, rleBbox, type CocoBbox, type CocoRle } from './rle'

/** How mergeRles combines masks. */
export type MergeMode = 'union' | 'intersection'

/** Union or intersection of same-size RLEs (pycocotools `merge`; a single RLE comes back unchanged). */
export function mergeRles(rles: readonly CocoRle[], mode: MergeMode = 'union'): CocoRle {
  const first = rles[0]
  if (first === undefined) throw new MaskFormatError('merge needs at least one RLE')
  let merged: CocoRle = { size: first.size, counts: first.counts.slice() }
  for (let i = 1; i < rles.length; i++) {
    const next = rles[i]!
    assertSameRleSize(first, next, `merge: RLE ${i}`)
    merged = { size: first.size, counts: mergeTwo(merged.counts, next.counts, mode === 'intersection') }
  }
  return merged
}

/**
 * Two-pointer walk over both run lists. A boundary is written whenever the combined value changes,
 * plus a final one when both lists are exhausted, which reproduces pycocotools' output run for run
 * (including how it treats empty runs in non-canonical input).
 */
function mergeTwo(a: Uint32Array, b: Uint32Array, intersect: boolean): Uint32Array {
  const out = new Uint32Array(a.length + b.length + 1)
  let n = 0
  let ia = 0
  let ib = 0
  let leftA = a[0] ?? 0
  let leftB = b[0] ?? 0
  let valueA = 0
  let valueB = 0
  let value = 0
  let pending = 0
  for (;;) {
    const step = leftA < leftB ? leftA : leftB
    pending += step
    leftA -= step
    leftB -= step
    if (leftA === 0 && ia + 1 < a.length) {
      leftA = a[++ia]!
      valueA ^= 1
    }
    if (leftB === 0 && ib + 1 < b.length) {
      leftB = b[++ib]!
      valueB ^= 1
    }
    const previous = value
    value = intersect ? valueA & valueB : valueA | valueB
    const remaining = leftA + leftB
    if (value !== previous || remaining === 0) {
      out[n++] = pending
      pending = 0
    }
    if (remaining === 0) break
  }
  return out.slice(0, n)
}

/** Intersection and union pixel counts of two same-size RLEs, from their runs. */
export function rleOverlap(a: CocoRle, b: CocoRle): { intersection: number; union: number } {
  assertSameRleSize(a, b, 'overlap')
  const ca = a.counts
  const cb = b.counts
  let ia = 0
  let ib = 0
  let leftA = ca[0] ?? 0
  let leftB = cb[0] ?? 0
  let valueA = 0
  let valueB = 0
  let intersection = 0
  let union = 0
  for (;;) {
    const step = leftA < leftB ? leftA : leftB
    if ((valueA | valueB) !== 0) {
      union += step
      if ((valueA & valueB) !== 0) intersection += step
    }
    leftA -= step
    leftB -= step
    if (leftA === 0 && ia + 1 < ca.length) {
      leftA = ca[++ia]!
      valueA ^= 1
    }
    if (leftB === 0 && ib + 1 < cb.length) {
      leftB = cb[++ib]!
      valueB ^= 1
    }
    if (leftA + leftB === 0) break
  }
  return { intersection, union }
}

/** IoU as pycocotools `iou(dt, gt, iscrowd)`: 0 unless the boxes overlap; a crowd ground truth divides by the detection's area. */
export function rleIou(detection: CocoRle, groundTruth: CocoRle, crowd = false): number {
  assertSameRleSize(detection, groundTruth, 'iou')
  if (!boxesOverlap(rleBbox(detection), rleBbox(groundTruth))) return 0
  const { intersection, union } = rleOverlap(detection, groundTruth)
  if (intersection === 0) return 0
  return intersection / (crowd ? rleArea(detection) : union)
}

/** IoU matrix `[detection][groundTruth]` with per-ground-truth crowd flags (pycocotools `iou` layout). */
export function rleIouMatrix(detections: readonly CocoRle[], groundTruths: readonly CocoRle[], crowd: readonly boolean[] = []): number[][] {
  if (crowd.length !== 0 && crowd.length !== groundTruths.length) {
    throw new MaskFormatError(`iou: crowd has ${crowd.length} flags but there are ${groundTruths.length} ground truths`)
  }
  return detections.map((d) => groundTruths.map((g, j) => rleIou(d, g, crowd[j] ?? false)))
}

/** The complement of a mask, on its runs (pycocotools `rleInvert`). */
export function invertRle(rle: CocoRle): CocoRle {
  const { counts } = rle
  if (counts.length > 0 && counts[0] === 0) return { size: rle.size, counts: counts.slice(1) }
  const out = new Uint32Array(counts.length + 1)
  out.set(counts, 1)
  return { size: rle.size, counts: out }
}

/** True when two COCO boxes overlap with positive area (pycocotools' pre-check before mask IoU). */
function boxesOverlap(a: CocoBbox, b: CocoBbox): boolean {
  const w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0])
  if (w <= 0) return false
  const h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1])
  return h > 0
}

function assertSameRleSize(a: CocoRle, b: CocoRle, operation: string): void {
  if (a.size[0] !== b.size[0] || a.size[1] !== b.size[1]) {
    throw new MaskFormatError(`${operation}: RLE sizes differ ([${a.size.join(',')}] vs [${b.size.join(',')}])`)
  }
}
