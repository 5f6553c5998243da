/**
 * Brush and eraser strokes: a polyline with a radius, rasterized into a mask. A pixel is painted
 * when its centre (x + 0.5, y + 0.5) lies within `radius` of the polyline, in image pixel
 * coordinates (the convention of COCO polygons: pixel (x, y) covers [x, x+1] x [y, y+1]).
 */
import { MaskFormatError } from './errors'
import type { BinaryMask } from './mask'

/** A stroke point in image pixel coordinates. */
export interface StrokePoint {
  readonly x: number
  readonly y: number
}

/** A copy of `mask` with a disc of `radius` around `center` set to `value` (1 brush, 0 eraser). */
export function paintDisc(mask: BinaryMask, center: StrokePoint, radius: number, value: 0 | 1 = 1): BinaryMask {
  return paintStroke(mask, [center], radius, value)
}

/** A copy of `mask` with the stroke (polyline of `points`, thickened by `radius`) set to `value`. */
export function paintStroke(mask: BinaryMask, points: readonly StrokePoint[], radius: number, value: 0 | 1 = 1): BinaryMask {
  const data = mask.data.slice()
  paintStrokeInto(data, mask.width, mask.height, points, radius, value)
  return { width: mask.width, height: mask.height, data }
}

/** Paints the stroke into row-major `data` in place (for callers that own a scratch buffer). */
export function paintStrokeInto(data: Uint8Array, width: number, height: number, points: readonly StrokePoint[], radius: number, value: 0 | 1 = 1): void {
  if (!Number.isFinite(radius) || radius < 0) throw new MaskFormatError(`stroke radius must be a finite number >= 0, got ${radius}`)
  if (value !== 0 && value !== 1) throw new MaskFormatError(`stroke value must be 0 or 1, got ${String(value)}`)
  if (points.length === 0) throw new MaskFormatError('stroke has no points')
  points.forEach((p, i) => {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) throw new MaskFormatError(`stroke point ${i} must have finite x and y, got (${p.x}, ${p.y})`)
  })
  if (data.length !== width * height) throw new MaskFormatError(`stroke target has ${data.length} bytes but ${width}x${height} needs ${width * height}`)
  const r2 = radius * radius
  for (let i = 0; i < Math.max(1, points.length - 1); i++) {
    const a = points[i]!
    const b = points[Math.min(i + 1, points.length - 1)]!
    // Pixel centres within reach of the segment's box grown by the radius.
    const x0 = Math.max(0, Math.ceil(Math.min(a.x, b.x) - radius - 0.5))
    const x1 = Math.min(width - 1, Math.floor(Math.max(a.x, b.x) + radius - 0.5))
    const y0 = Math.max(0, Math.ceil(Math.min(a.y, b.y) - radius - 0.5))
    const y1 = Math.min(height - 1, Math.floor(Math.max(a.y, b.y) + radius - 0.5))
    const dx = b.x - a.x
    const dy = b.y - a.y
    const length2 = dx * dx + dy * dy
    for (let y = y0; y <= y1; y++) {
      const cy = y + 0.5
      const row = y * width
      for (let x = x0; x <= x1; x++) {
        const cx = x + 0.5
        // Squared distance from the pixel centre to the segment (its nearest point).
        let t = length2 === 0 ? 0 : ((cx - a.x) * dx + (cy - a.y) * dy) / length2
        if (t < 0) t = 0
        else if (t > 1) t = 1
        const ex = cx - (a.x + t * dx)
        const ey = cy - (a.y + t * dy)
        if (ex * ex + ey * ey <= r2) data[row + x] = value
      }
    }
  }
}
