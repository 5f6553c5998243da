/**
 * Masks for the fake core: axis-aligned boxes, kept as real COCO RLE so that the renderer's
 * mask code (hit tests, bitmaps) reads them exactly as it reads the core's.
 */
import type { RleMask } from '../../../src/common/ipc/types'

export interface PixelBox {
  readonly x0: number
  readonly y0: number
  /** Exclusive. */
  readonly x1: number
  readonly y1: number
}

export function boxMask(box: PixelBox, width: number, height: number): RleMask {
  const x0 = clamp(Math.floor(box.x0), 0, width)
  const x1 = clamp(Math.ceil(box.x1), x0, width)
  const y0 = clamp(Math.floor(box.y0), 0, height)
  const y1 = clamp(Math.ceil(box.y1), y0, height)
  return { size: [height, width], counts: `box:${x0},${y0},${x1},${y1}` }
}

export function boxOfMask(mask: RleMask): PixelBox {
  const [x0, y0, x1, y1] = mask.counts.replace('box:', '').split(',').map(Number) as [number, number, number, number]
  return { x0, y0, x1, y1 }
}

export function boxArea(box: PixelBox): number {
  return Math.max(0, box.x1 - box.x0) * Math.max(0, box.y1 - box.y0)
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value))
}
