/**
 * One display bitmap per mask, drawn from its RLE and redrawn only when the RLE string or the
 * colour changes, or when zooming in needs more pixels than it has. Bitmaps are drawn at the
 * display's resolution (zoom x devicePixelRatio, rounded up to a power of two, at most the
 * preview's), so a mask on a fitted 24 MP image costs a fraction of its full-size pixels.
 * Drawing is queued and done in slices of a few milliseconds per frame, so opening an image with
 * many large masks never blocks the canvas: masks appear as they are ready.
 */
import type { RleMask } from '../../../common/ipc/types'
import { paintRaster, parseHexColor, rasterizeRuns, type MaskRaster } from '../masks/maskRaster'

export interface MaskBitmap {
  readonly canvas: CanvasImageSource
  /** Where it goes, in image pixels. */
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

interface Entry {
  readonly counts: string
  readonly color: string
  readonly edge: string | null
  /** Bitmap pixels per image pixel. */
  readonly scale: number
  /** Null while queued; 'empty' for a mask with no pixel set. */
  bitmap: MaskBitmap | 'empty' | null
  /** The bitmap of the previous RLE, shown until the new one is drawn. */
  stale: MaskBitmap | null
}

export interface MaskBitmapsOptions {
  /** Compressed RLE to column-major runs (the mask core's decompressRle, through RunsCache). */
  readonly decodeRuns: (rle: RleMask) => ArrayLike<number>
  /** The finest bitmap for an image of this size: the preview's scale (finer would not show). */
  readonly maxScale: (width: number, height: number) => number
  /** Told once per distinct failure (a malformed RLE must not stop the drawing loop). */
  readonly onError?: (message: string) => void
  /** Turns a raster into something drawImage takes; a canvas by default (tests pass a stand-in). */
  readonly toImage?: (raster: MaskRaster, color: string, edge: string | null) => CanvasImageSource
}

const FILL_ALPHA = 110
/** Outline of every mask: a dark ring outside a light one, visible on any background and colour. */
const OUTLINE_DARK = [12, 14, 18, 255] as const
const OUTLINE_LIGHT = [255, 255, 255, 255] as const

export class MaskBitmaps {
  private readonly entries = new Map<string, Entry>()
  private readonly queue: string[] = []
  private readonly rles = new Map<string, RleMask>()
  /** Bitmaps drawn so far (each draw is one RLE decode); for tests and the benchmark. */
  drawCount = 0

  private readonly decodeRuns: (rle: RleMask) => ArrayLike<number>
  private readonly scaleFor: (width: number, height: number) => number
  private readonly onError: (message: string) => void
  private readonly toImage: (raster: MaskRaster, color: string, edge: string | null) => CanvasImageSource

  constructor(options: MaskBitmapsOptions) {
    this.decodeRuns = options.decodeRuns
    this.scaleFor = options.maxScale
    this.onError = options.onError ?? (() => {})
    this.toImage = options.toImage ?? paintToCanvas
  }

  private readonly reported = new Set<string>()

  /**
   * The bitmap to show for `key` now (possibly the previous one while the new one is queued).
   * `displayScale` is screen pixels per image pixel; a bitmap with fewer is redrawn finer.
   */
  get(key: string, rle: RleMask, color: string, edge: string | null = null, displayScale = Infinity): MaskBitmap | null {
    let entry = this.entries.get(key)
    const scale = this.bitmapScale(rle, displayScale)
    if (!entry || entry.counts !== rle.counts || entry.color !== color || entry.edge !== edge || entry.scale < scale) {
      const previous = entry?.bitmap && entry.bitmap !== 'empty' ? entry.bitmap : (entry?.stale ?? null)
      entry = { counts: rle.counts, color, edge, scale, bitmap: null, stale: previous }
      this.entries.set(key, entry)
      this.rles.set(key, rle)
      this.queue.push(key)
    }
    if (entry.bitmap === 'empty') return null
    return entry.bitmap ?? entry.stale
  }

  get pending(): number {
    return this.queue.length
  }

  /** Draws queued bitmaps until `budgetMs` is spent (at least one); true when some remain. */
  work(budgetMs: number, now: () => number = () => performance.now()): boolean {
    const start = now()
    while (this.queue.length > 0) {
      const key = this.queue.shift()!
      const entry = this.entries.get(key)
      const rle = this.rles.get(key)
      this.rles.delete(key)
      if (entry && rle && entry.bitmap === null && entry.counts === rle.counts) {
        entry.bitmap = this.draw(rle, entry)
        entry.stale = null
        this.drawCount++
      }
      if (now() - start >= budgetMs) break
    }
    return this.queue.length > 0
  }

  /** Draws one queued bitmap now (the SAM preview: the user is waiting for exactly that one). */
  drawNow(key: string): MaskBitmap | null {
    const at = this.queue.indexOf(key)
    const entry = this.entries.get(key)
    const rle = this.rles.get(key)
    if (at < 0 || !entry || !rle) return entry?.bitmap && entry.bitmap !== 'empty' ? entry.bitmap : null
    this.queue.splice(at, 1)
    this.rles.delete(key)
    entry.bitmap = this.draw(rle, entry)
    entry.stale = null
    this.drawCount++
    return entry.bitmap === 'empty' ? null : entry.bitmap
  }

  /** Forgets bitmaps whose keys are not in `keep` (masks of another image). */
  retain(keep: ReadonlySet<string>): void {
    for (const key of this.entries.keys()) {
      if (!keep.has(key)) {
        this.entries.delete(key)
        this.rles.delete(key)
      }
    }
  }

  /** Powers of two, so a zoom gesture redraws a mask a few times, not on every step. */
  private bitmapScale(rle: RleMask, displayScale: number): number {
    const [height, width] = rle.size
    const bucket = Number.isFinite(displayScale) && displayScale > 0 ? 2 ** Math.ceil(Math.log2(displayScale)) : Infinity
    return Math.min(this.scaleFor(width, height), bucket)
  }

  private draw(rle: RleMask, entry: Entry): MaskBitmap | 'empty' {
    try {
      const raster = rasterizeRuns(this.decodeRuns(rle), rle.size[0], entry.scale)
      return raster ? { canvas: this.toImage(raster, entry.color, entry.edge), x: raster.x, y: raster.y, width: raster.width, height: raster.height } : 'empty'
    } catch (error) {
      const message = `A mask could not be drawn: ${error instanceof Error ? error.message : String(error)}`
      if (!this.reported.has(message)) {
        this.reported.add(message)
        this.onError(message)
      }
      return 'empty'
    }
  }
}

function paintToCanvas(raster: MaskRaster, color: string, edge: string | null): HTMLCanvasElement {
  const canvas = document.createElement('canvas')
  canvas.width = raster.columns
  canvas.height = raster.rows
  const context = canvas.getContext('2d')
  if (context) {
    // A focused mask (selected, the SAM preview) gets a second ring in its edge colour: thicker.
    const focus = edge ? ([...parseHexColor(edge), 255] as const) : null
    // Two pixels of each: one raster pixel is less than a screen pixel on a fitted large photo.
    const rings = focus ? [OUTLINE_DARK, OUTLINE_DARK, focus, focus] : [OUTLINE_DARK, OUTLINE_DARK, OUTLINE_LIGHT, OUTLINE_LIGHT]
    const pixels = paintRaster(raster, { color: parseHexColor(color), fillAlpha: FILL_ALPHA, edgeAlpha: 255, rings })
    context.putImageData(new ImageData(pixels, raster.columns, raster.rows), 0, 0)
  }
  return canvas
}
