import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  MAX_ZOOM,
  fitCamera,
  imageToScreen,
  panBy,
  screenToImage,
  visibleImageRect,
  wheelZoomFactor,
  zoomAt,
  zoomLimits,
  type Camera,
} from '../../../src/renderer/src/editor/camera'
import { imagePoint, screenPoint } from '../../../src/renderer/src/editor/geometry'

const camera = fc.record({
  x: fc.double({ min: -5000, max: 5000, noNaN: true }),
  y: fc.double({ min: -5000, max: 5000, noNaN: true }),
  zoom: fc.double({ min: 0.01, max: 50, noNaN: true }),
})
const coordinate = fc.double({ min: -4000, max: 4000, noNaN: true })

describe('camera', () => {
  it('converts screen to image pixels and back', () => {
    fc.assert(
      fc.property(camera, coordinate, coordinate, (cam, x, y) => {
        const back = imageToScreen(cam, screenToImage(cam, screenPoint(x, y)))
        expect(back.x).toBeCloseTo(x, 6)
        expect(back.y).toBeCloseTo(y, 6)
      }),
    )
  })

  it('maps a known point: zoom 2 with offset (100, 50) puts image (10, 20) at screen (120, 90)', () => {
    const cam: Camera = { x: 100, y: 50, zoom: 2 }
    expect(imageToScreen(cam, imagePoint(10, 20))).toEqual({ x: 120, y: 90 })
    expect(screenToImage(cam, screenPoint(120, 90))).toEqual({ x: 10, y: 20 })
  })

  it('zooms to the cursor: the image point under the cursor stays under it', () => {
    fc.assert(
      fc.property(camera, coordinate, coordinate, fc.double({ min: 0.2, max: 5, noNaN: true }), (cam, sx, sy, factor) => {
        const anchor = screenPoint(sx, sy)
        const before = screenToImage(cam, anchor)
        const next = zoomAt(cam, anchor, factor, { min: 0.001, max: 1000 })
        expect(next.zoom).toBeCloseTo(cam.zoom * factor, 9)
        const after = screenToImage(next, anchor)
        expect(after.x).toBeCloseTo(before.x, 5)
        expect(after.y).toBeCloseTo(before.y, 5)
      }),
    )
  })

  it('clamps the zoom and still keeps the anchor fixed', () => {
    const cam: Camera = { x: 0, y: 0, zoom: 10 }
    const anchor = screenPoint(300, 200)
    const next = zoomAt(cam, anchor, 100, { min: 0.1, max: MAX_ZOOM })
    expect(next.zoom).toBe(MAX_ZOOM)
    expect(screenToImage(next, anchor)).toEqual(screenToImage(cam, anchor))
    expect(zoomAt({ ...cam, zoom: MAX_ZOOM }, anchor, 2, { min: 0.1, max: MAX_ZOOM })).toEqual({ ...cam, zoom: MAX_ZOOM })
  })

  it('fits the image centred with a margin, limited by the tighter side', () => {
    const fit = fitCamera({ width: 4000, height: 1000 }, { width: 832, height: 600 }, 16)
    expect(fit.zoom).toBeCloseTo(0.2, 9)
    expect(fit.x).toBeCloseTo(16, 9)
    expect(fit.y).toBeCloseTo((600 - 200) / 2, 9)
    const tall = fitCamera({ width: 100, height: 1000 }, { width: 800, height: 532 }, 16)
    expect(tall.zoom).toBeCloseTo(0.5, 9)
    expect(tall.x).toBeCloseTo((800 - 50) / 2, 9)
  })

  it('allows zooming out to a quarter of the fit, in to 64 screen pixels per image pixel', () => {
    const limits = zoomLimits({ width: 6000, height: 4000 }, { width: 1232, height: 832 })
    expect(limits.min).toBeCloseTo(0.2 / 4, 9)
    expect(limits.max).toBe(64)
  })

  it('zooms in on wheel up and out on wheel down, symmetrically, whatever the delta unit', () => {
    expect(wheelZoomFactor(-100, 0, 800)).toBeGreaterThan(1)
    expect(wheelZoomFactor(100, 0, 800)).toBeLessThan(1)
    expect(wheelZoomFactor(-100, 0, 800) * wheelZoomFactor(100, 0, 800)).toBeCloseTo(1, 12)
    expect(wheelZoomFactor(-3, 1, 800)).toBeCloseTo(wheelZoomFactor(-48, 0, 800), 12)
    // A huge delta (fast flick, page mode) is capped instead of jumping to the zoom limit.
    expect(wheelZoomFactor(-1, 2, 5000)).toBeCloseTo(wheelZoomFactor(-300, 0, 800), 12)
  })

  it('pans by screen pixels and reports the visible image rectangle', () => {
    const cam = panBy({ x: 0, y: 0, zoom: 2 }, -200, -100)
    expect(visibleImageRect(cam, { width: 800, height: 600 })).toEqual({ x: 100, y: 50, width: 400, height: 300 })
  })
})
