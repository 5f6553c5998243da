/**
 * Turns a mask's COCO runs (column-major, alternating background/foreground, starting with
 * background: the mask core's decoded CocoRle) into a display bitmap: only the mask's bounding
 * box, at most at the preview's resolution. A 24-megapixel mask is never materialised: the work
 * is O(runs + columns spanned + output pixels), and the bitmap of a full-frame mask on a
 * 6000x4000 image is 4096x2731 bytes, not 24 MB.
 */

export interface MaskRaster {
  /** The cropped area, in image pixels. */
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
  /** Bitmap size; `columns / width` is the scale (<= 1). */
  readonly columns: number
  readonly rows: number
  /** Row-major, columns * rows bytes, 1 where the mask is set. */
  readonly data: Uint8Array
}

export interface PixelRect {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

/** The bounding box of the set pixels, from the runs alone; null for an empty mask. */
export function runsBounds(counts: ArrayLike<number>, height: number): PixelRect | null {
  let minX = Infinity
  let maxX = -1
  let minY = Infinity
  let maxY = -1
  let position = 0
  for (let i = 0; i < counts.length; i++) {
    const length = counts[i]!
    if (i % 2 === 1 && length > 0) {
      const first = position
      const last = position + length - 1
      const x0 = Math.floor(first / height)
      const x1 = Math.floor(last / height)
      minX = Math.min(minX, x0)
      maxX = Math.max(maxX, x1)
      if (x0 === x1) {
        minY = Math.min(minY, first - x0 * height)
        maxY = Math.max(maxY, last - x1 * height)
      } else {
        // The run wraps into the next column: it covers the bottom of one and the top of the next.
        minY = 0
        maxY = height - 1
      }
    }
    position += length
  }
  return maxX < 0 ? null : { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 }
}

/**
 * Rasterises the runs over their bounding box at `scale` (<= 1), sampling the nearest pixel:
 * output pixel (u, v) shows image pixel (x + floor((u + 0.5) / scale), y + floor((v + 0.5) / scale)).
 */
export function rasterizeRuns(counts: ArrayLike<number>, height: number, scale: number): MaskRaster | null {
  const bounds = runsBounds(counts, height)
  if (!bounds) return null
  const s = Math.min(1, scale)
  // The epsilon keeps round-off (5 * 0.6 = 3.0000000000000004) from adding a column.
  const columns = Math.max(1, Math.ceil(bounds.width * s - 1e-9))
  const rows = Math.max(1, Math.ceil(bounds.height * s - 1e-9))
  const sample = (index: number, extent: number) => Math.min(extent - 1, Math.floor((index + 0.5) / s))

  // Which output column samples each image column of the crop (-1: none, when scaled down).
  // Two output columns can sample the same image column only at the clamped right edge; the
  // second one is copied from the first at the end.
  const outputColumn = new Int32Array(bounds.width).fill(-1)
  for (let u = columns - 1; u >= 0; u--) outputColumn[sample(u, bounds.width)] = u
  // firstRow[r]: the first output row sampling crop row r or later (rows for r past the end).
  const firstRow = new Int32Array(bounds.height + 1).fill(rows)
  for (let v = rows - 1; v >= 0; v--) firstRow[sample(v, bounds.height)] = v
  for (let r = bounds.height - 1; r >= 0; r--) firstRow[r] = Math.min(firstRow[r]!, firstRow[r + 1]!)

  const data = new Uint8Array(columns * rows)
  let position = 0
  for (let i = 0; i < counts.length; i++) {
    let remaining = counts[i]!
    if (i % 2 === 0) {
      position += remaining
      continue
    }
    while (remaining > 0) {
      const x = Math.floor(position / height)
      const y = position - x * height
      const span = Math.min(remaining, height - y)
      const u = outputColumn[x - bounds.x]!
      if (u >= 0) {
        const v0 = firstRow[y - bounds.y]!
        const v1 = firstRow[y - bounds.y + span]!
        for (let v = v0; v < v1; v++) data[v * columns + u] = 1
      }
      position += span
      remaining -= span
    }
  }
  for (let u = 1; u < columns; u++) {
    const first = outputColumn[sample(u, bounds.width)]!
    if (first !== u) for (let v = 0; v < rows; v++) data[v * columns + u] = data[v * columns + first]!
  }
  return { ...bounds, columns, rows, data }
}

export interface RasterStyle {
  /** [r, g, b], 0..255. */
  readonly color: readonly [number, number, number]
  /** Outline colour; the fill colour when absent. */
  readonly edgeColor?: readonly [number, number, number]
  /** Alpha inside the mask and on its outline, 0..255. */
  readonly fillAlpha: number
  readonly edgeAlpha: number
  /**
   * Outline rings from the edge inwards, each one pixel wide, in place of `edgeColor`: a dark
   * ring then a light one keep a mask's outline visible on any photo, whatever its colour.
   */
  readonly rings?: readonly (readonly [r: number, g: number, b: number, a: number])[]
}

/** The machine's byte order decides how four RGBA bytes read as one 32-bit word. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

function rgbaWord(r: number, g: number, b: number, a: number): number {
  return LITTLE_ENDIAN ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0
}

/**
 * RGBA pixels for a raster: a translucent fill with an opaque outline (pixels with an unset
 * 4-neighbour). One 32-bit write per set pixel; unset pixels stay transparent zero.
 */
export function paintRaster(raster: MaskRaster, style: RasterStyle): Uint8ClampedArray<ArrayBuffer> {
  if (style.rings && style.rings.length > 0) return paintRings(raster, style, style.rings)
  const { columns, rows, data } = raster
  const buffer = new ArrayBuffer(columns * rows * 4)
  const words = new Uint32Array(buffer)
  const [r, g, b] = style.color
  const [er, eg, eb] = style.edgeColor ?? style.color
  const fill = rgbaWord(r, g, b, style.fillAlpha)
  const edge = rgbaWord(er, eg, eb, style.edgeAlpha)
  const lastRow = rows - 1
  const lastColumn = columns - 1
  for (let v = 0; v < rows; v++) {
    const row = v * columns
    const border = v === 0 || v === lastRow
    for (let u = 0; u < columns; u++) {
      const index = row + u
      if (data[index] === 0) continue
      const outline =
        border || u === 0 || u === lastColumn || data[index - 1] === 0 || data[index + 1] === 0 || data[index - columns] === 0 || data[index + columns] === 0
      words[index] = outline ? edge : fill
    }
  }
  return new Uint8ClampedArray(buffer)
}

/**
 * A translucent fill inside `rings.length` outline rings (ring 1 on the edge, ring 2 just inside
 * it, ...). Each pass marks the interior pixels touching the previous ring, so the cost is one
 * scan per ring over the mask's pixels.
 */
function paintRings(raster: MaskRaster, style: RasterStyle, rings: NonNullable<RasterStyle['rings']>): Uint8ClampedArray<ArrayBuffer> {
  const { columns, rows, data } = raster
  const buffer = new ArrayBuffer(columns * rows * 4)
  const words = new Uint32Array(buffer)
  const [r, g, b] = style.color
  const fill = rgbaWord(r, g, b, style.fillAlpha)
  const INSIDE = 255
  // 0 outside, ring number on the rings, INSIDE for the rest of the mask.
  const depth = new Uint8Array(columns * rows)
  for (let index = 0; index < depth.length; index++) if (data[index] !== 0) depth[index] = INSIDE
  const lastRow = rows - 1
  const lastColumn = columns - 1
  for (let ring = 1; ring <= rings.length; ring++) {
    const previous = ring - 1
    for (let v = 0; v < rows; v++) {
      const row = v * columns
      for (let u = 0; u < columns; u++) {
        const index = row + u
        if (depth[index] !== INSIDE) continue
        const touches =
          (ring === 1 && (v === 0 || v === lastRow || u === 0 || u === lastColumn)) ||
          (u > 0 && depth[index - 1] === previous) ||
          (u < lastColumn && depth[index + 1] === previous) ||
          (v > 0 && depth[index - columns] === previous) ||
          (v < lastRow && depth[index + columns] === previous)
        if (touches) depth[index] = ring
      }
    }
  }
  const ringWords = rings.map(([rr, rg, rb, ra]) => rgbaWord(rr, rg, rb, ra))
  for (let index = 0; index < depth.length; index++) {
    const d = depth[index]!
    if (d === 0) continue
    words[index] = d === INSIDE ? fill : ringWords[d - 1]!
  }
  return new Uint8ClampedArray(buffer)
}

/** '#rrggbb' to [r, g, b]; grey for anything else. */
export function parseHexColor(color: string): [number, number, number] {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color)
  if (!match) return [160, 160, 160]
  return [parseInt(match[1]!, 16), parseInt(match[2]!, 16), parseInt(match[3]!, 16)]
}
