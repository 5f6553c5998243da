import { describe, expect, it } from 'vitest'
import { paintRaster, parseHexColor, rasterizeRuns, runsBounds } from '../../../src/renderer/src/masks/maskRaster'
import { RunIndex } from '../../../src/renderer/src/masks/runIndex'

/*
 * A 4-wide, 3-high mask, column-major runs [1, 2, 3, 1, 5]:
 *   x:   0 1 2 3
 *   y0:  . . # .
 *   y1:  # . . .
 *   y2:  # . . .
 */
const SMALL = [1, 2, 3, 1, 5]

function rows(raster: NonNullable<ReturnType<typeof rasterizeRuns>>): string[] {
  const out: string[] = []
  for (let v = 0; v < raster.rows; v++) {
    out.push([...raster.data.subarray(v * raster.columns, (v + 1) * raster.columns)].map((b) => (b ? '#' : '.')).join(''))
  }
  return out
}

describe('mask runs to display bitmaps', () => {
  it('finds the bounding box from the runs alone', () => {
    expect(runsBounds(SMALL, 3)).toEqual({ x: 0, y: 0, width: 3, height: 3 })
    // A run wrapping from the bottom of column 1 into the top of column 2 spans all rows.
    expect(runsBounds([5, 2, 5], 3)).toEqual({ x: 1, y: 0, width: 2, height: 3 })
    expect(runsBounds([12], 3)).toBeNull()
    expect(runsBounds([0, 12], 3)).toEqual({ x: 0, y: 0, width: 4, height: 3 })
  })

  it('rasterises the crop at full scale, row-major', () => {
    const raster = rasterizeRuns(SMALL, 3, 1)!
    expect({ x: raster.x, y: raster.y, columns: raster.columns, rows: raster.rows }).toEqual({ x: 0, y: 0, columns: 3, rows: 3 })
    expect(rows(raster)).toEqual(['..#', '#..', '#..'])
  })

  it('crops to the mask: a square at (3..5, 2..3) of a 8x6 image', () => {
    // Column-major over height 6: columns 3, 4, 5 each have rows 2-3 set.
    const counts = [3 * 6 + 2, 2, 4, 2, 4, 2, 2 + 2 * 6]
    const raster = rasterizeRuns(counts, 6, 1)!
    expect({ x: raster.x, y: raster.y, width: raster.width, height: raster.height }).toEqual({ x: 3, y: 2, width: 3, height: 2 })
    expect(rows(raster)).toEqual(['###', '###'])
  })

  it('samples the nearest pixel when scaled down', () => {
    // A full 4x4 mask with its top-left quadrant cleared, at scale 1/2: one of four pixels per output pixel.
    const counts = [2, 2, 2, 10]
    const raster = rasterizeRuns(counts, 4, 0.5)!
    expect({ columns: raster.columns, rows: raster.rows, width: raster.width, height: raster.height }).toEqual({ columns: 2, rows: 2, width: 4, height: 4 })
    // Output (u, v) samples image (2u + 1, 2v + 1): (1,1) is clear, the others set.
    expect(rows(raster)).toEqual(['.#', '##'])
  })

  it('never scales up', () => {
    const raster = rasterizeRuns(SMALL, 3, 4)!
    expect(raster.columns).toBe(3)
  })

  it('paints outline rings from the edge inwards: a dark ring outside a light one', () => {
    // A 6x6 block: ring 1 is its border, ring 2 the next square in, the 2x2 centre is fill.
    const raster = rasterizeRuns([0, 36], 6, 1)!
    const dark = [0, 0, 0, 255] as const
    const light = [255, 255, 255, 255] as const
    const rgba = paintRaster(raster, { color: [10, 20, 30], fillAlpha: 100, edgeAlpha: 255, rings: [dark, light] })
    const pixel = (u: number, v: number) => [...rgba.subarray((v * 6 + u) * 4, (v * 6 + u) * 4 + 4)]
    expect([0, 1, 2, 3, 4, 5].map((u) => pixel(u, 0))).toEqual(Array(6).fill([...dark]))
    expect(pixel(0, 3)).toEqual([...dark])
    expect([1, 2, 3, 4].map((u) => pixel(u, 1))).toEqual(Array(4).fill([...light]))
    expect(pixel(1, 3)).toEqual([...light])
    expect([pixel(2, 2), pixel(3, 3)]).toEqual([
      [10, 20, 30, 100],
      [10, 20, 30, 100],
    ])
  })

  it('paints a translucent fill with an opaque outline', () => {
    // A 3x3 block: the centre is inside, the ring is the outline.
    const raster = rasterizeRuns([0, 9], 3, 1)!
    const rgba = paintRaster(raster, { color: [10, 20, 30], fillAlpha: 100, edgeAlpha: 255 })
    const alpha = (u: number, v: number) => rgba[(v * 3 + u) * 4 + 3]
    expect(alpha(1, 1)).toBe(100)
    expect(alpha(0, 0)).toBe(255)
    expect(alpha(2, 1)).toBe(255)
    expect([...rgba.subarray(16, 19)]).toEqual([10, 20, 30])
    expect(parseHexColor('#4f9cf9')).toEqual([79, 156, 249])
    expect(parseHexColor('blue')).toEqual([160, 160, 160])
  })

  it('answers point-in-mask from the run ends', () => {
    const index = new RunIndex(SMALL, 3, 4)
    const inside = [] as string[]
    for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) if (index.contains(x, y)) inside.push(`${x},${y}`)
    expect(inside).toEqual(['2,0', '0,1', '0,2'])
    expect(index.contains(-1, 0)).toBe(false)
    expect(index.contains(4, 0)).toBe(false)
  })
})
