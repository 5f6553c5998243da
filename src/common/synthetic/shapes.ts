/**
 * Shapes in image pixels, each with a placement (centre, scale, rotation). Point-in-shape tests
 * are done in the shape's local frame, so every shape rotates and scales the same way.
 */

export type ShapeKind = 'ellipse' | 'rect' | 'triangle' | 'star' | 'roundedRect'

export interface LocalShape {
  readonly kind: ShapeKind
  /** Offset of the shape's centre from the object's centre, in object units. */
  readonly dx: number
  readonly dy: number
  /** Half extents in object units. */
  readonly rx: number
  readonly ry: number
  /** Extra rotation of this part relative to the object, radians. */
  readonly angle: number
}

export interface Placement {
  readonly cx: number
  readonly cy: number
  /** Pixels per object unit. */
  readonly scale: number
  readonly angle: number
}

/** Whether local point (u, v), in units of the shape's half extents, lies inside the unit shape. */
function insideUnit(kind: ShapeKind, u: number, v: number): boolean {
  switch (kind) {
    case 'ellipse':
      return u * u + v * v <= 1
    case 'rect':
      return Math.abs(u) <= 1 && Math.abs(v) <= 1
    case 'roundedRect': {
      const qx = Math.max(Math.abs(u) - 0.6, 0)
      const qy = Math.max(Math.abs(v) - 0.6, 0)
      return Math.abs(u) <= 1 && Math.abs(v) <= 1 && qx * qx + qy * qy <= 0.16
    }
    case 'triangle':
      return v <= 1 && v >= -1 && Math.abs(u) <= (v + 1) / 2
    case 'star': {
      const r = Math.hypot(u, v)
      const theta = Math.atan2(v, u)
      return r <= 0.55 + 0.45 * Math.abs(Math.cos(2.5 * theta))
    }
  }
}

/** Maps image pixel (x, y) into the unit frame of `shape` placed by `placement`. */
export function toShapeFrame(shape: LocalShape, placement: Placement, x: number, y: number): [number, number] {
  const cos = Math.cos(-placement.angle)
  const sin = Math.sin(-placement.angle)
  const px = (x - placement.cx) / placement.scale
  const py = (y - placement.cy) / placement.scale
  const ox = px * cos - py * sin - shape.dx
  const oy = px * sin + py * cos - shape.dy
  const c2 = Math.cos(-shape.angle)
  const s2 = Math.sin(-shape.angle)
  return [(ox * c2 - oy * s2) / shape.rx, (ox * s2 + oy * c2) / shape.ry]
}

export function containsPoint(shape: LocalShape, placement: Placement, x: number, y: number): boolean {
  const [u, v] = toShapeFrame(shape, placement, x, y)
  return insideUnit(shape.kind, u, v)
}

/** A conservative pixel bounding box of a shape (its circumscribed circle). */
export function shapeBounds(shape: LocalShape, placement: Placement): { x0: number; y0: number; x1: number; y1: number } {
  const centerX = placement.cx + placement.scale * (shape.dx * Math.cos(placement.angle) - shape.dy * Math.sin(placement.angle))
  const centerY = placement.cy + placement.scale * (shape.dx * Math.sin(placement.angle) + shape.dy * Math.cos(placement.angle))
  const radius = placement.scale * Math.hypot(shape.rx, shape.ry)
  return { x0: centerX - radius, y0: centerY - radius, x1: centerX + radius, y1: centerY + radius }
}
