/**
 * Masks for the fake core: axis-aligned boxes (or any bitmap), encoded by the mask core as real
 * compressed COCO RLE, so the renderer's mask code reads them exactly as it reads the core's.
 */
import type { RleMask } from '../../../src/common/ipc/types'
import { compressRle, createMask, decompressRle, encodeRle, rleBbox, type BinaryMask } from '../../../src/common/mask'

export interface PixelBox {
  readonly x0: number
  readonly y0: number
  /** Exclusive. */
  readonly x1: number
  readonly y1: number
}

export function clampedBox(box: PixelBox, width: number, height: number): PixelBox {
  const x0 = clamp(Math.floor(box.x0), 0, width)
  const y0 = clamp(Math.floor(box.y0), 0, height)
  return { x0, y0, x1: clamp(Math.ceil(box.x1), x0, width), y1: clamp(Math.ceil(box.y1), y0, height) }
}

export function boxMask(box: PixelBox, width: number, height: number): RleMask {
  const { x0, y0, x1, y1 } = clampedBox(box, width, height)
  const mask = createMask(width, height)
  for (let y = y0; y < y1; y++) mask.data.fill(1, y * width + x0, y * width + x1)
  return maskToRle(mask)
}

export function maskToRle(mask: BinaryMask): RleMask {
  const { size, counts } = compressRle(encodeRle(mask))
  return { size: [size[0], size[1]], counts }
}

/** The box around a mask's set pixels (exclusive ends). */
export function boxOfMask(mask: RleMask): PixelBox {
  const [x, y, w, h] = rleBbox(decompressRle(mask))
  return { x0: x, y0: y, x1: x + w, y1: y + h }
}

export function boxArea(box: PixelBox): number {
  return Math.max(0, box.x1 - box.x0) * Math.max(0, box.y1 - box.y0)
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value))
}
