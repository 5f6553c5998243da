/**
 * COCO polygon rasterization with pycocotools' exact semantics (maskApi.c rleFrPoly): the outline
 * is upsampled 5x and walked as a dense digital line; wherever the walk crosses a pixel-column
 * centre it toggles the column from the row below the crossing, so a pixel is set when its centre
 * (x + 0.5, y + 0.5) lies inside the polygon, up to the rounding of that 5x grid. Several polygons
 * of one annotation are unioned (pycocotools `frPyObjects` followed by `merge`).
 */
import { MaskFormatError, checkedSize } from './errors'
import { Uint32List } from './buffers'
import type { CocoBbox, CocoRle } from './rle'
import { mergeRles } from './rleOps'

const SCALE = 5
/** Upsampled coordinates are C ints; beyond this the original code would overflow. */
const MAX_UPSAMPLED = 2 ** 31 - 1
/** Refuse outlines whose dense walk would take seconds (coordinates far outside any image). */
const MAX_WALK_POINTS = 2 ** 27

/** Rasterizes one COCO polygon [x1, y1, x2, y2, ...] to RLE; `field` names it in errors. */
export function rasterizePolygon(polygon: ArrayLike<number>, height: number, width: number, field = 'polygon'): CocoRle {
  checkedSize(width, height, field)
  const { xs, ys } = upsampledVertices(polygon, field)
  const boundaries = columnBoundaries(xs, ys, height, width, field)
  return { size: [height, width], counts: boundariesToCounts(boundaries, height * width) }
}

/** Rasterizes and unions an annotation's polygons, as pycocotools' annToRLE does for polygon segmentations. */
export function rasterizePolygons(polygons: readonly ArrayLike<number>[], height: number, width: number, field = 'polygon'): CocoRle {
  if (polygons.length === 0) throw new MaskFormatError(`${field} list is empty; at least one polygon is needed`)
  return mergeRles(polygons.map((polygon, i) => rasterizePolygon(polygon, height, width, `${field} ${i}`)))
}

/** A box [x, y, w, h] as a mask, with pycocotools' `frBbox` rule (its outline rasterized as a polygon). */
export function rasterizeBbox(bbox: readonly number[], height: number, width: number, field = 'bbox'): CocoRle {
  if (bbox.length !== 4 || !bbox.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new MaskFormatError(`${field} must be 4 finite numbers [x, y, width, height]`)
  }
  const [x, y, w, h] = bbox as CocoBbox
  return rasterizePolygon([x, y, x, y + h, x + w, y + h, x + w, y], height, width, field)
}

function upsampledVertices(polygon: ArrayLike<number>, field: string): { xs: Int32Array; ys: Int32Array } {
  if (polygon.length % 2 !== 0) throw new MaskFormatError(`${field} has an odd number of coordinates (${polygon.length})`)
  const k = polygon.length / 2
  if (k < 3) throw new MaskFormatError(`${field} has ${k} points; at least 3 are needed`)
  const xs = new Int32Array(k + 1)
  const ys = new Int32Array(k + 1)
  for (let j = 0; j < polygon.length; j++) {
    const value = polygon[j]
    const name = j % 2 === 0 ? 'x' : 'y'
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new MaskFormatError(`${field} point ${j >> 1} has ${name} = ${String(value)}; coordinates must be finite numbers`)
    }
    // C's (int) conversion truncates toward zero, also for negative coordinates.
    const scaled = Math.trunc(SCALE * value + 0.5)
    if (Math.abs(scaled) > MAX_UPSAMPLED) throw new MaskFormatError(`${field} point ${j >> 1} has ${name} = ${value}, out of range`)
    if (j % 2 === 0) xs[j >> 1] = scaled
    else ys[j >> 1] = scaled
  }
  xs[k] = xs[0]!
  ys[k] = ys[0]!
  return { xs, ys }
}

/**
 * Walks the upsampled outline point by point (streaming, no point arrays) and returns the
 * column-major stream positions where a column's value toggles.
 */
function columnBoundaries(xs: Int32Array, ys: Int32Array, height: number, width: number, field: string): Uint32List {
  const k = xs.length - 1
  let walkLength = 0
  for (let j = 0; j < k; j++) walkLength += Math.max(Math.abs(xs[j]! - xs[j + 1]!), Math.abs(ys[j]! - ys[j + 1]!)) + 1
  if (walkLength > MAX_WALK_POINTS) {
    throw new MaskFormatError(`${field} outline is ${Math.round(walkLength / SCALE)} pixels long; its coordinates lie far outside the ${width}x${height} image`)
  }
  const boundaries = new Uint32List()
  let hasPrevious = false
  let previousU = 0
  let previousV = 0
  const visit = (u: number, v: number): void => {
    if (hasPrevious && u !== previousU) {
      // The crossing between columns u-1 and u (either direction) samples pixel column xd.
      const xd = ((u < previousU ? u : u - 1) + 0.5) / SCALE - 0.5
      if (Math.floor(xd) === xd && xd >= 0 && xd <= width - 1) {
        let yd = ((v < previousV ? v : previousV) + 0.5) / SCALE - 0.5
        if (yd < 0) yd = 0
        else if (yd > height) yd = height
        boundaries.push(xd * height + Math.ceil(yd))
      }
    }
    hasPrevious = true
    previousU = u
    previousV = v
  }
  for (let j = 0; j < k; j++) {
    let x0 = xs[j]!
    let y0 = ys[j]!
    let x1 = xs[j + 1]!
    let y1 = ys[j + 1]!
    const dx = Math.abs(x1 - x0)
    const dy = Math.abs(y0 - y1)
    // Each edge is walked from the same end whichever way it is traversed, so both directions
    // produce identical points; the points are still visited in traversal order.
    const flip = (dx >= dy && x0 > x1) || (dx < dy && y0 > y1)
    if (flip) {
      ;[x0, x1] = [x1, x0]
      ;[y0, y1] = [y1, y0]
    }
    if (dx >= dy) {
      // dx === dy === 0 divides 0 by 0 in the original; its single point never forms a crossing.
      const slope = dx === 0 ? 0 : (y1 - y0) / dx
      for (let d = 0; d <= dx; d++) {
        const t = flip ? dx - d : d
        visit(t + x0, Math.trunc(y0 + slope * t + 0.5))
      }
    } else {
      const slope = (x1 - x0) / dy
      for (let d = 0; d <= dy; d++) {
        const t = flip ? dy - d : d
        visit(Math.trunc(x0 + slope * t + 0.5), t + y0)
      }
    }
  }
  return boundaries
}

/**
 * Sorted toggle positions to run lengths. A repeated position cancels the toggle before it
 * (its zero-length run is folded into the previous count), as in the original.
 */
function boundariesToCounts(boundaries: Uint32List, total: number): Uint32Array {
  boundaries.push(total)
  const sorted = boundaries.view().sort()
  const counts = new Uint32Array(sorted.length)
  let previous = 0
  for (let j = 0; j < sorted.length; j++) {
    const position = sorted[j]!
    sorted[j] = position - previous
    previous = position
  }
  let m = 0
  counts[m++] = sorted[0]!
  for (let j = 1; j < sorted.length; ) {
    const run = sorted[j++]!
    if (run > 0) counts[m++] = run
    else if (j < sorted.length) counts[m - 1]! += sorted[j++]!
  }
  return counts.slice(0, m)
}
