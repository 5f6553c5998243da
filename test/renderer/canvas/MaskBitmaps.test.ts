import { describe, expect, it } from 'vitest'
import type { RleMask } from '../../../src/common/ipc/types'
import { createMask } from '../../../src/common/mask'
import { MaskBitmaps } from '../../../src/renderer/src/canvas/MaskBitmaps'
import { previewScale } from '../../../src/common/ipc/media'
import type { MaskRaster } from '../../../src/renderer/src/masks/maskRaster'
import { RunsCache } from '../../../src/renderer/src/masks/RunsCache'
import { decodeCocoRuns } from '../../../src/renderer/src/masks/cocoRuns'
import { maskToRle } from '../helpers/fakeMasks'

/** A 6000x4000 mask with one 1200x1000 block at (2000, 1000). */
function blockMask(x0 = 2000): RleMask {
  const mask = createMask(6000, 4000)
  for (let y = 1000; y < 2000; y++) mask.data.fill(1, y * 6000 + x0, y * 6000 + x0 + 1200)
  return maskToRle(mask)
}

function setup() {
  const rasters: { raster: MaskRaster; color: string; edge: string | null }[] = []
  const errors: string[] = []
  const runs = new RunsCache(decodeCocoRuns)
  const bitmaps = new MaskBitmaps({
    decodeRuns: (rle) => runs.runs(rle),
    maxScale: previewScale,
    onError: (message) => errors.push(message),
    // Stands in for a canvas: the raster itself, so tests can look at what would be drawn.
    toImage: (raster, color, edge) => {
      rasters.push({ raster, color, edge })
      return raster as unknown as CanvasImageSource
    },
  })
  return { bitmaps, rasters, errors }
}

describe('MaskBitmaps', () => {
  it('queues a bitmap, draws it when given time, and places it at the mask box in image pixels', () => {
    const { bitmaps, rasters } = setup()
    expect(bitmaps.get('a1', blockMask(), '#ff0000', null, 0.14)).toBeNull()
    expect(bitmaps.pending).toBe(1)
    expect(bitmaps.work(1000)).toBe(false)
    const bitmap = bitmaps.get('a1', blockMask(), '#ff0000', null, 0.14)
    expect(bitmap).toMatchObject({ x: 2000, y: 1000, width: 1200, height: 1000 })
    // Drawn at the display's resolution: 0.14 rounds up to 0.25, so 300x250 bitmap pixels.
    expect([rasters[0]?.raster.columns, rasters[0]?.raster.rows]).toEqual([300, 250])
  })

  it('draws each mask once while its RLE and colour stay the same, again when either changes', () => {
    const { bitmaps } = setup()
    const rle = blockMask()
    bitmaps.get('a1', rle, '#ff0000', null, 0.2)
    bitmaps.work(1000)
    for (let i = 0; i < 5; i++) bitmaps.get('a1', { size: [4000, 6000], counts: rle.counts }, '#ff0000', null, 0.2)
    expect(bitmaps.drawCount).toBe(1)
    bitmaps.get('a1', rle, '#00ff00', null, 0.2)
    bitmaps.work(1000)
    bitmaps.get('a1', blockMask(2500), '#00ff00', null, 0.2)
    bitmaps.work(1000)
    expect(bitmaps.drawCount).toBe(3)
  })

  it('shows the previous bitmap while the changed mask is queued', () => {
    const { bitmaps } = setup()
    bitmaps.get('a1', blockMask(), '#ff0000', null, 0.2)
    bitmaps.work(1000)
    const before = bitmaps.get('a1', blockMask(), '#ff0000', null, 0.2)
    expect(bitmaps.get('a1', blockMask(2500), '#ff0000', null, 0.2)).toBe(before)
    bitmaps.work(1000)
    expect(bitmaps.get('a1', blockMask(2500), '#ff0000', null, 0.2)?.x).toBe(2500)
  })

  it('redraws finer when zooming in needs it, never coarser, and never past the preview resolution', () => {
    const { bitmaps, rasters } = setup()
    const rle = blockMask()
    bitmaps.get('a1', rle, '#ff0000', null, 0.2)
    bitmaps.work(1000)
    bitmaps.get('a1', rle, '#ff0000', null, 0.24)
    bitmaps.get('a1', rle, '#ff0000', null, 0.1)
    expect(bitmaps.pending).toBe(0)
    bitmaps.get('a1', rle, '#ff0000', null, 0.3)
    bitmaps.work(1000)
    bitmaps.get('a1', rle, '#ff0000', null, 8)
    bitmaps.work(1000)
    expect(rasters.map((r) => r.raster.columns)).toEqual([300, 600, Math.ceil(1200 * (4096 / 6000))])
  })

  it('spends at most the budget per slice (at least one bitmap), and draws a preview at once', () => {
    const { bitmaps } = setup()
    for (let i = 0; i < 4; i++) bitmaps.get(`a${i}`, blockMask(1000 + i * 100), '#ff0000', null, 0.5)
    let clock = 0
    expect(bitmaps.work(5, () => (clock += 10))).toBe(true)
    expect(bitmaps.pending).toBe(3)
    bitmaps.get('preview', blockMask(), '#ffffff', '#ffffff', 0.5)
    expect(bitmaps.drawNow('preview')).toMatchObject({ x: 2000, width: 1200 })
    expect(bitmaps.pending).toBe(3)
  })

  it('reports an undecodable mask once and keeps drawing the others', () => {
    const { bitmaps, errors } = setup()
    const broken: RleMask = { size: [4000, 6000], counts: 'not an rle' }
    bitmaps.get('bad', broken, '#ff0000')
    bitmaps.get('bad2', broken, '#00ff00')
    bitmaps.get('good', blockMask(), '#ff0000', null, 0.2)
    expect(bitmaps.work(1000)).toBe(false)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^A mask could not be drawn: /)
    expect(bitmaps.get('bad', broken, '#ff0000')).toBeNull()
    expect(bitmaps.get('good', blockMask(), '#ff0000', null, 0.2)).not.toBeNull()
  })

  it('forgets bitmaps of masks no longer shown', () => {
    const { bitmaps } = setup()
    bitmaps.get('a1', blockMask(), '#ff0000', null, 0.2)
    bitmaps.get('a2', blockMask(3000), '#ff0000', null, 0.2)
    bitmaps.work(1000)
    bitmaps.retain(new Set(['a2']))
    expect(bitmaps.get('a1', blockMask(), '#ff0000', null, 0.2)).toBeNull()
    expect(bitmaps.get('a2', blockMask(3000), '#ff0000', null, 0.2)).not.toBeNull()
  })
})
