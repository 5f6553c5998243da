/**
 * Contour tracing along pixel edges. Vertex (X, Y) is the corner shared by pixels (X-1, Y-1),
 * (X, Y-1), (X-1, Y) and (X, Y); a boundary edge separates a foreground pixel from a background
 * one (outside the image is background) and is walked with the foreground on its right in image
 * coordinates (y down). Outer boundaries therefore run clockwise on screen (positive shoelace
 * area with y down) and hole boundaries the other way.
 *
 * Where two foreground pixels touch only at a corner the walk turns left, which keeps them in
 * one contour: foreground is 8-connected and holes are 4-connected. Because corners lie on pixel
 * edges, a contour encloses exactly the centres of its pixels, which is what COCO's polygon
 * rasterizer (pixel centre inside) reproduces.
 */
import type { BinaryMask } from './mask'

const EAST = 0
const SOUTH = 1
const WEST = 2
const NORTH = 3
const STEP_X = [1, 0, -1, 0] as const
const STEP_Y = [0, 1, 0, -1] as const

/** One traced boundary loop. */
export interface Contour {
  /** Corner vertices in walk order, as x, y pairs (pixel-edge coordinates). */
  readonly corners: Int32Array
  /** True for a hole boundary (negative area). */
  readonly isHole: boolean
  /** Enclosed area in pixels (positive for both kinds). */
  readonly area: number
}

/** Bit flags stored per vertex while tracing. */
export const EAST_EDGE_TRACED = 1

/** All contours of a mask (outer boundaries and holes), in row-major order of their first top edge. */
export function traceContours(mask: BinaryMask): Contour[] {
  return traceContoursWithFlags(mask).contours
}

/** traceContours plus the per-vertex flags (EAST_EDGE_TRACED marks the start of every top edge). */
export function traceContoursWithFlags(mask: BinaryMask): { contours: Contour[]; vertexFlags: Uint8Array } {
  const { width, height, data } = mask
  const stride = width + 1
  const flags = new Uint8Array(stride * (height + 1))
  const contours: Contour[] = []
  for (let y = 0; y < height; y++) {
    const row = y * width
    for (let x = 0; x < width; x++) {
      // A top edge (foreground below, background above) not yet walked starts a new contour.
      if (data[row + x] === 0 || (y > 0 && data[row - width + x] !== 0)) continue
      if ((flags[y * stride + x]! & EAST_EDGE_TRACED) !== 0) continue
      contours.push(traceFrom(mask, flags, x, y))
    }
  }
  return { contours, vertexFlags: flags }
}

function traceFrom(mask: BinaryMask, flags: Uint8Array, startX: number, startY: number): Contour {
  const { width, height, data } = mask
  const stride = width + 1
  const pixel = (x: number, y: number): number => (x >= 0 && y >= 0 && x < width && y < height ? data[y * width + x]! : 0)
  const corners: number[] = []
  let x = startX
  let y = startY
  let direction = EAST
  flags[y * stride + x]! |= EAST_EDGE_TRACED
  for (;;) {
    x += STEP_X[direction]!
    y += STEP_Y[direction]!
    const topLeft = pixel(x - 1, y - 1)
    const topRight = pixel(x, y - 1)
    const bottomLeft = pixel(x - 1, y)
    const bottomRight = pixel(x, y)
    let next: number
    if (topLeft === bottomRight && topRight === bottomLeft && topLeft !== topRight) {
      next = (direction + 3) & 3 // diagonal touch: turn left, keeping the two pixels together
    } else if (bottomRight !== 0 && topRight === 0) next = EAST
    else if (bottomLeft !== 0 && bottomRight === 0) next = SOUTH
    else if (topLeft !== 0 && bottomLeft === 0) next = WEST
    else next = NORTH
    if (x === startX && y === startY && next === EAST) {
      if (direction !== EAST) corners.push(x, y)
      break
    }
    if (next !== direction) corners.push(x, y)
    if (next === EAST) flags[y * stride + x]! |= EAST_EDGE_TRACED
    direction = next
  }
  let twiceArea = 0
  for (let i = 0; i < corners.length; i += 2) {
    const j = (i + 2) % corners.length
    twiceArea += corners[i]! * corners[j + 1]! - corners[j]! * corners[i + 1]!
  }
  return { corners: Int32Array.from(corners), isHole: twiceArea < 0, area: Math.abs(twiceArea) / 2 }
}
