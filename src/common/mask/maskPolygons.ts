/**
 * Mask -> COCO polygons. Each 8-connected part becomes one polygon: its outer contour with every
 * hole spliced in through a vertical slit (keyhole). COCO rasterizes a polygon by toggling pixel
 * columns where the outline crosses them; a vertical slit crosses no column and is walked once
 * down and once up, so it adds nothing, and each hole's outline toggles its pixels back off. The
 * even-odd and non-zero fill rules agree on such polygons (holes run the opposite way round).
 *
 * A hole at top-left corner (x0, y0) is bridged straight up, along the pixel-edge line x = x0,
 * to the first top edge above it, which belongs to the enclosing part's outline or to another
 * hole of the same part further up (spliced first). Without simplification the polygons
 * re-rasterize to exactly the input mask; with a tolerance the IoU of the round trip is reported.
 */
import { MaskFormatError } from './errors'
import { EAST_EDGE_TRACED, traceContoursWithFlags, type Contour } from './contours'
import type { BinaryMask } from './mask'
import { rasterizePolygons } from './polygon'
import { simplifyClosed } from './polygonSimplify'
import { encodeRle } from './rleEncode'
import { rleOverlap } from './rleOps'

/** Options for maskToPolygons. */
export interface MaskToPolygonsOptions {
  /** Douglas-Peucker tolerance in pixels; 0 (default) keeps every corner and is lossless. */
  readonly tolerance?: number
  /** 'bridge' (default) writes holes into their part's polygon; 'fill' drops them (outer contours only). */
  readonly holes?: 'bridge' | 'fill'
  /** Re-rasterize the polygons (pycocotools' rule) and report the IoU with the mask (default true). */
  readonly measureIou?: boolean
}

/** maskToPolygons' result. */
export interface MaskPolygons {
  /** COCO polygons [x1, y1, x2, y2, ...], one per part, each with at least 3 points. */
  readonly polygons: number[][]
  readonly parts: number
  readonly holes: number
  /** IoU between the mask and the re-rasterized polygons (1 for an empty mask); NaN if not measured. */
  readonly iou: number
}

const ANCHOR_REQUESTED = 2

interface Outline {
  readonly xs: number[]
  readonly ys: number[]
  /** Holes to splice in at each vertex. */
  readonly attached: number[][]
  readonly fixed: boolean[]
  keep: boolean[]
  /** Vertex where a hole's walk starts and ends (its top-left corner). */
  start: number
}

/** Polygons for a mask's parts (holes bridged in), with the round-trip IoU. */
export function maskToPolygons(mask: BinaryMask, options: MaskToPolygonsOptions = {}): MaskPolygons {
  const tolerance = options.tolerance ?? 0
  if (!Number.isFinite(tolerance) || tolerance < 0) throw new MaskFormatError(`polygon tolerance must be a finite number >= 0, got ${tolerance}`)
  const { contours, vertexFlags } = traceContoursWithFlags(mask)
  const bridgeHoles = (options.holes ?? 'bridge') === 'bridge'
  const used = contours.filter((c) => bridgeHoles || !c.isHole)
  const outlines = used.map(outlineOf)
  if (bridgeHoles) attachHoles(mask, used, outlines, vertexFlags)
  for (const outline of outlines) outline.keep = simplifyClosed(outline.xs, outline.ys, outline.fixed, tolerance)
  const polygons: number[][] = []
  used.forEach((contour, i) => {
    if (!contour.isHole) polygons.push(emit(outlines, i))
  })
  const holes = contours.filter((c) => c.isHole).length
  const iou = options.measureIou === false ? Number.NaN : roundTripIou(mask, polygons)
  return { polygons, parts: polygons.length, holes, iou }
}

function outlineOf(contour: Contour): Outline {
  const xs: number[] = []
  const ys: number[] = []
  let start = 0
  for (let i = 0; i < contour.corners.length; i += 2) {
    const x = contour.corners[i]!
    const y = contour.corners[i + 1]!
    // A hole's walk starts at its top-left corner (smallest y, then smallest x).
    if (y < ys[start]! || (y === ys[start] && x < xs[start]!)) start = xs.length
    xs.push(x)
    ys.push(y)
  }
  const fixed = xs.map(() => false)
  if (contour.isHole) fixed[start] = true
  return { xs, ys, attached: xs.map(() => []), fixed, keep: [], start }
}

/** Finds each hole's bridge target and inserts it as a fixed vertex of the outline it lands on. */
function attachHoles(mask: BinaryMask, contours: readonly Contour[], outlines: Outline[], flags: Uint8Array): void {
  const { width, data } = mask
  const stride = width + 1
  const requests = new Map<number, number[]>()
  outlines.forEach((outline, i) => {
    if (!contours[i]!.isHole) return
    const x = outline.xs[outline.start]!
    let y = outline.ys[outline.start]! - 1 // the foreground pixel above the hole's top-left corner
    while (y > 0 && data[(y - 1) * width + x] !== 0) y--
    const vertex = y * stride + x
    if ((flags[vertex]! & EAST_EDGE_TRACED) === 0) throw new Error(`internal: no traced top edge above hole ${i}`)
    flags[vertex]! |= ANCHOR_REQUESTED
    const list = requests.get(vertex)
    if (list) list.push(i)
    else requests.set(vertex, [i])
  })
  if (requests.size === 0) return
  outlines.forEach((outline, i) => {
    const { xs, ys } = outline
    const n = xs.length
    const inserts: { after: number; x: number; holes: number[] }[] = []
    for (let k = 0; k < n; k++) {
      const next = (k + 1) % n
      if (ys[k] !== ys[next] || xs[next]! <= xs[k]!) continue // only eastward edges are top edges
      for (let x = xs[k]!; x < xs[next]!; x++) {
        const vertex = ys[k]! * stride + x
        if ((flags[vertex]! & ANCHOR_REQUESTED) === 0) continue
        inserts.push({ after: k, x, holes: requests.get(vertex)! })
      }
    }
    if (inserts.length > 0) outlines[i] = withAnchors(outline, inserts)
  })
}

function withAnchors(outline: Outline, inserts: readonly { after: number; x: number; holes: number[] }[]): Outline {
  const xs: number[] = []
  const ys: number[] = []
  const attached: number[][] = []
  const fixed: boolean[] = []
  let start = 0
  let next = 0
  for (let k = 0; k < outline.xs.length; k++) {
    if (k === outline.start) start = xs.length
    xs.push(outline.xs[k]!)
    ys.push(outline.ys[k]!)
    attached.push(outline.attached[k]!)
    fixed.push(outline.fixed[k]!)
    for (; next < inserts.length && inserts[next]!.after === k; next++) {
      const { x, holes } = inserts[next]!
      if (x === outline.xs[k]) {
        attached[attached.length - 1]!.push(...holes) // the anchor is this corner itself
        fixed[fixed.length - 1] = true
        continue
      }
      xs.push(x)
      ys.push(outline.ys[k]!)
      attached.push([...holes])
      fixed.push(true)
    }
  }
  return { xs, ys, attached, fixed, keep: [], start }
}

/** Walks a part's outline, descending into attached holes (iteratively: hole chains can be long). */
function emit(outlines: readonly Outline[], root: number): number[] {
  const out: number[] = []
  const push = (x: number, y: number): void => {
    const n = out.length
    if (n >= 2 && out[n - 2] === x && out[n - 1] === y) return
    out.push(x, y)
  }
  // Each frame: outline index, vertex offset walked so far, and where to return after it.
  const stack: { outline: number; offset: number; hole: number; returnTo: [number, number] | null }[] = [
    { outline: root, offset: 0, hole: 0, returnTo: null },
  ]
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!
    const outline = outlines[frame.outline]!
    const n = outline.xs.length
    if (frame.offset === n) {
      stack.pop()
      if (frame.returnTo) {
        push(outline.xs[outline.start]!, outline.ys[outline.start]!)
        push(frame.returnTo[0], frame.returnTo[1])
      }
      continue
    }
    const v = (outline.start + frame.offset) % n
    const x = outline.xs[v]!
    const y = outline.ys[v]!
    if (frame.hole === 0 && outline.keep[v]) push(x, y)
    const holes = outline.attached[v]!
    if (frame.hole < holes.length) {
      const hole = holes[frame.hole++]!
      push(x, y)
      stack.push({ outline: hole, offset: 0, hole: 0, returnTo: [x, y] })
      continue
    }
    frame.offset++
    frame.hole = 0
  }
  const n = out.length
  if (n >= 4 && out[0] === out[n - 2] && out[1] === out[n - 1]) out.length = n - 2
  return out
}

function roundTripIou(mask: BinaryMask, polygons: number[][]): number {
  const original = encodeRle(mask)
  if (polygons.length === 0) return original.counts.length <= 1 ? 1 : 0
  const { intersection, union } = rleOverlap(original, rasterizePolygons(polygons, mask.height, mask.width))
  return union === 0 ? 1 : intersection / union
}
