/**
 * Prompt encoding for the official SAM decoder's point_coords [1,N,2] and point_labels [1,N],
 * following Meta's notebook and demo: points (label 1 positive, 0 negative), then the box as two
 * corners (labels 2 and 3); with no box, one padding point (0,0) with label -1.
 */
import { imageToModelPoint, type SamGeometry } from './geometry'

export const LABEL_NEGATIVE = 0
export const LABEL_POSITIVE = 1
export const LABEL_BOX_TOP_LEFT = 2
export const LABEL_BOX_BOTTOM_RIGHT = 3
export const LABEL_PADDING = -1

/** A click in image pixels (x = column, y = row). */
export interface PromptPoint {
  readonly x: number
  readonly y: number
  readonly label: 0 | 1
}

/** A box in image pixels: top-left and bottom-right corners. */
export interface PromptBox {
  readonly x0: number
  readonly y0: number
  readonly x1: number
  readonly y1: number
}

export interface EncodedPrompt {
  /** [count * 2] (x, y) pairs in the 1024 frame. */
  readonly coords: Float32Array
  /** [count] labels as float32, as the decoder takes them. */
  readonly labels: Float32Array
  readonly count: number
}

export function encodePrompt(geometry: SamGeometry, points: readonly PromptPoint[], box?: PromptBox | null): EncodedPrompt {
  const count = points.length + (box ? 2 : 1)
  const coords = new Float32Array(count * 2)
  const labels = new Float32Array(count)
  points.forEach((point, i) => {
    if (point.label !== LABEL_POSITIVE && point.label !== LABEL_NEGATIVE) {
      throw new Error(`prompt point ${i}: label must be 0 (negative) or 1 (positive), got ${String(point.label)}`)
    }
    if (!Number.isFinite(point.x) || !Number.isFinite(point.y)) throw new Error(`prompt point ${i}: x and y must be finite numbers`)
    const model = imageToModelPoint(geometry, point.x, point.y)
    coords[i * 2] = model.x
    coords[i * 2 + 1] = model.y
    labels[i] = point.label
  })
  const next = points.length
  if (box) {
    if (![box.x0, box.y0, box.x1, box.y1].every(Number.isFinite)) throw new Error('prompt box: x0, y0, x1 and y1 must be finite numbers')
    const topLeft = imageToModelPoint(geometry, Math.min(box.x0, box.x1), Math.min(box.y0, box.y1))
    const bottomRight = imageToModelPoint(geometry, Math.max(box.x0, box.x1), Math.max(box.y0, box.y1))
    coords.set([topLeft.x, topLeft.y, bottomRight.x, bottomRight.y], next * 2)
    labels[next] = LABEL_BOX_TOP_LEFT
    labels[next + 1] = LABEL_BOX_BOTTOM_RIGHT
  } else {
    labels[next] = LABEL_PADDING // coords stay (0, 0)
  }
  return { coords, labels, count }
}
