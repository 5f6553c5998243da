/**
 * One display bitmap per mask, drawn once from its RLE and redrawn only when the RLE string or
 * the colour changes. Drawing is queued and done in slices of a few milliseconds per frame, so
 * opening an image with many large masks never blocks the canvas: masks appear as they are ready.
 */
import type { RleMask } from '../../../common/ipc/types'
import { paintRaster, parseHexColor, rasterizeRuns, type MaskRaster } from '../masks/maskRaster'

export interface MaskBitmap {
  readonly canvas: HTMLCanvasElement
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
  /** Null while queued; 'empty' for a mask with no pixel set. */
  bitmap: MaskBitmap | 'empty' | null
  /** The bitmap of the previous RLE, shown until the new one is drawn. */
  stale: MaskBitmap | null
}

const FILL_ALPHA = 110
const EDGE_ALPHA = 255

export class MaskBitmaps {
  private readonly entries = new Map<string, Entry>()
  private readonly queue: string[] = []
  private readonly rles = new Map<string, RleMask>()
  /** Bitmaps drawn so far (each draw is one RLE decode); for tests and the benchmark. */
  drawCount = 0

  constructor(
    private readonly decodeRuns: (rle: RleMask) => ArrayLike<number>,
    /** Bitmap pixels per image pixel for an image of this size (the preview's scale). */
    private readonly scaleFor: (width: number, height: number) => number,
    /** Told once per distinct failure (a malformed RLE must not stop the drawing loop). */
    private readonly onError: (message: string) => void = () => {},
  ) {}

  private readonly reported = new Set<string>()

  /** The bitmap to show for `key` now (possibly the previous one while the new one is queued). */
  get(key: string, rle: RleMask, color: string, edge: string | null = null): MaskBitmap | null {
    let entry = this.entries.get(key)
    if (!entry || entry.counts !== rle.counts || entry.color !== color || entry.edge !== edge) {
      const previous = entry?.bitmap && entry.bitmap !== 'empty' ? entry.bitmap : (entry?.stale ?? null)
      entry = { counts: rle.counts, color, edge, bitmap: null, stale: previous }
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
        entry.bitmap = this.draw(rle, entry.color, entry.edge)
        entry.stale = null
        this.drawCount++
      }
      if (now() - start >= budgetMs) break
    }
    return this.queue.length > 0
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

  private draw(rle: RleMask, color: string, edge: string | null): MaskBitmap | 'empty' {
    const [height, width] = rle.size
    try {
      const raster = rasterizeRuns(this.decodeRuns(rle), height, this.scaleFor(width, height))
      return raster ? toCanvas(raster, color, edge) : 'empty'
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

function toCanvas(raster: MaskRaster, color: string, edge: string | null): MaskBitmap {
  const canvas = document.createElement('canvas')
  canvas.width = raster.columns
  canvas.height = raster.rows
  const context = canvas.getContext('2d')
  if (context) {
    const style = { color: parseHexColor(color), fillAlpha: FILL_ALPHA, edgeAlpha: EDGE_ALPHA }
    const pixels = paintRaster(raster, edge ? { ...style, edgeColor: parseHexColor(edge) } : style)
    context.putImageData(new ImageData(pixels, raster.columns, raster.rows), 0, 0)
  }
  return { canvas, x: raster.x, y: raster.y, width: raster.width, height: raster.height }
}
