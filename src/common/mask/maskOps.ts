/**
 * Pixel operations on row-major masks for the editor and the review queue: area, box, IoU and the
 * set operations behind the brush and eraser (all pure; results are new masks).
 */
import { MaskFormatError } from './errors'
import { assertSameSize, type BinaryMask } from './mask'
import type { CocoBbox } from './rle'

/** Number of foreground pixels. */
export function maskArea(mask: BinaryMask): number {
  const { data } = mask
  let area = 0
  for (let i = 0; i < data.length; i++) area += data[i]!
  return area
}

/** Tight COCO box [x, y, w, h] of the foreground, [0, 0, 0, 0] when empty (equals rleBbox of its RLE). */
export function maskBbox(mask: BinaryMask): CocoBbox {
  const { width, height, data } = mask
  let minX = width
  let maxX = -1
  let minY = -1
  let maxY = -1
  for (let y = 0; y < height; y++) {
    const row = y * width
    let first = -1
    for (let x = 0; x < width; x++) {
      if (data[row + x] !== 0) {
        first = x
        break
      }
    }
    if (first < 0) continue
    if (minY < 0) minY = y
    maxY = y
    if (first < minX) minX = first
    for (let x = width - 1; x > maxX; x--) {
      if (data[row + x] !== 0) {
        maxX = x
        break
      }
    }
  }
  if (minY < 0) return [0, 0, 0, 0]
  return [minX, minY, maxX - minX + 1, maxY - minY + 1]
}

/** Intersection and union pixel counts of two same-size masks. */
export function maskOverlap(a: BinaryMask, b: BinaryMask): { intersection: number; union: number } {
  assertSameSize(a, b, 'overlap')
  const x = a.data
  const y = b.data
  let intersection = 0
  let union = 0
  for (let i = 0; i < x.length; i++) {
    intersection += x[i]! & y[i]!
    union += x[i]! | y[i]!
  }
  return { intersection, union }
}

/** |A ∩ B| / |A ∪ B|; 0 when both masks are empty (pycocotools' convention). */
export function maskIou(a: BinaryMask, b: BinaryMask): number {
  const { intersection, union } = maskOverlap(a, b)
  return union === 0 ? 0 : intersection / union
}

/** Pixel-wise A ∪ B (e.g. committing a brush stroke). */
export function unionMasks(a: BinaryMask, b: BinaryMask): BinaryMask {
  return combine(a, b, 'union', (p, q) => p | q)
}

/** Pixel-wise A ∩ B. */
export function intersectMasks(a: BinaryMask, b: BinaryMask): BinaryMask {
  return combine(a, b, 'intersect', (p, q) => p & q)
}

/** Pixel-wise A minus B (e.g. committing an eraser stroke). */
export function subtractMask(a: BinaryMask, b: BinaryMask): BinaryMask {
  return combine(a, b, 'subtract', (p, q) => p & (q ^ 1))
}

/** The complement of a mask. */
export function invertMask(mask: BinaryMask): BinaryMask {
  const data = new Uint8Array(mask.data.length)
  for (let i = 0; i < data.length; i++) data[i] = mask.data[i]! ^ 1
  return { width: mask.width, height: mask.height, data }
}

/** The part of a mask inside box [x, y, w, h] (integers, within the mask) as a new w x h mask. */
export function cropMask(mask: BinaryMask, box: readonly [number, number, number, number]): BinaryMask {
  const [x, y, w, h] = box
  assertBoxInside(box, mask.width, mask.height, 'crop')
  const data = new Uint8Array(w * h)
  for (let r = 0; r < h; r++) data.set(mask.data.subarray((y + r) * mask.width + x, (y + r) * mask.width + x + w), r * w)
  return { width: w, height: h, data }
}

/** A copy of `target` with `patch` written at (x, y); the patch must fit inside the target. */
export function pasteMask(target: BinaryMask, patch: BinaryMask, x: number, y: number): BinaryMask {
  assertBoxInside([x, y, patch.width, patch.height], target.width, target.height, 'paste')
  const data = target.data.slice()
  for (let r = 0; r < patch.height; r++) {
    data.set(patch.data.subarray(r * patch.width, (r + 1) * patch.width), (y + r) * target.width + x)
  }
  return { width: target.width, height: target.height, data }
}

function combine(a: BinaryMask, b: BinaryMask, operation: string, op: (p: number, q: number) => number): BinaryMask {
  assertSameSize(a, b, operation)
  const data = new Uint8Array(a.data.length)
  const x = a.data
  const y = b.data
  for (let i = 0; i < data.length; i++) data[i] = op(x[i]!, y[i]!)
  return { width: a.width, height: a.height, data }
}

function assertBoxInside(box: readonly number[], width: number, height: number, operation: string): void {
  const [x, y, w, h] = box as [number, number, number, number]
  const ok = box.every((v) => Number.isInteger(v)) && x >= 0 && y >= 0 && w >= 1 && h >= 1 && x + w <= width && y + h <= height
  if (!ok) throw new MaskFormatError(`${operation}: box [${box.join(', ')}] must be integers with w, h >= 1 inside the ${width}x${height} mask`)
}
