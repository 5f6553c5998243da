/**
 * The canvas in Chromium against the real studio core (browser-mode server, SQLite store, media
 * cache, toy SAM model): frame work while zooming and panning a 24-megapixel image (6000x4000,
 * shown from its 4096-pixel preview) with 50 stored masks, and the time from a click to its
 * preview mask drawn, split into the decoder's time (SegmentPreview.timings.decoderMs) and the rest.
 *
 * Frame work = handling the input event (wheel or pointer) + everything the next frame runs on the
 * main thread (Konva's draw, mask refinement, style, layout, paint), timed in the page. Its floor,
 * in the same page and run, is what any viewer must do per frame: one drawImage of the preview
 * through the same cameras, timed the same way. The click's floor is one HTTP round trip of the
 * same server (app:info). Headless Chromium here has no GPU (--disable-gpu): canvas drawing is
 * software-rasterised.
 */
import { mkdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { mediaPath, type MediaImage } from '../src/common/ipc/media'
import { compressRle, createMask, encodeRle, type BinaryMask } from '../src/common/mask'
import { storedMaskFromRle } from '../src/main/services/store'
import { launchBrowser, startStudio, type StudioUnderTest } from '../test/e2e/harness'
import { PageApi } from '../test/e2e/pageApi'
import { distribution, round, type Benchmark, type Distribution } from './lib/harness'
import { CLICK_WATCH_SCRIPT, FETCH_FLOOR_SCRIPT, FLOOR_SCRIPT, FRAME_SCRIPT } from './lib/pageTimers'

const WIDTH = 6000
const HEIGHT = 4000
const MASK_COUNT = 50
const FRAMES_PER_PHASE = 150
const CLICKS = 25
const VIEWPORT = { width: 1440, height: 900 }

interface Ellipse {
  readonly cx: number
  readonly cy: number
  readonly rx: number
  readonly ry: number
}

/** 50 ellipses from 60 to 900 pixels across, deterministic. */
function ellipses(): Ellipse[] {
  let seed = 12345
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  return Array.from({ length: MASK_COUNT }, () => {
    const rx = 30 + next() * 420
    const ry = 30 + next() * 320
    return { cx: rx + next() * (WIDTH - 2 * rx), cy: ry + next() * (HEIGHT - 2 * ry), rx, ry }
  })
}

function paintEllipse(e: Ellipse, mask: BinaryMask): void {
  mask.data.fill(0)
  for (let y = Math.floor(e.cy - e.ry); y <= Math.ceil(e.cy + e.ry); y++) {
    const t = 1 - ((y - e.cy) / e.ry) ** 2
    if (y < 0 || y >= HEIGHT || t <= 0) continue
    const half = e.rx * Math.sqrt(t)
    mask.data.fill(1, y * WIDTH + Math.max(0, Math.round(e.cx - half)), y * WIDTH + Math.min(WIDTH, Math.round(e.cx + half)))
  }
}

/** A 6000x4000 photo-like JPEG: smooth colour fields with noise, and the ellipses drawn in. */
async function writePhoto(file: string, shapes: readonly Ellipse[]): Promise<void> {
  const overlay = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">${shapes
      .map((e, i) => `<ellipse cx="${e.cx}" cy="${e.cy}" rx="${e.rx}" ry="${e.ry}" fill="hsl(${(i * 47) % 360},55%,45%)"/>`)
      .join('')}</svg>`,
  )
  await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: { r: 96, g: 112, b: 104 }, noise: { type: 'gaussian', mean: 118, sigma: 30 } } })
    .composite([{ input: overlay }])
    .jpeg({ quality: 85 })
    .toFile(file)
}

/** A project on the real core: the photo imported, a category, the 50 masks stored (proposed and accepted). */
async function buildProject(studio: StudioUnderTest, shapes: readonly Ellipse[]): Promise<MediaImage> {
  const imagesRoot = path.join(studio.dataDir, 'aerial')
  mkdirSync(imagesRoot, { recursive: true })
  await writePhoto(path.join(imagesRoot, 'aerial_24mp.jpg'), shapes)
  const { importJob } = await studio.call('project:create', { imagesRoot, name: 'aerial' })
  await studio.core.context.jobs.wait(importJob.id)
  const category = await studio.call('category:create', { name: 'field', color: '#4cc38a' })
  const [image] = (await studio.call('image:list', { offset: 0, limit: 1 })).items
  if (!image || image.width !== WIDTH) throw new Error('the 24 MP image was not imported')
  const mask = createMask(WIDTH, HEIGHT)
  const drafts = shapes.map((shape, i) => {
    paintEllipse(shape, mask)
    const rle = encodeRle(mask)
    return {
      imageId: image.id,
      categoryId: category.id,
      mask: storedMaskFromRle(rle, compressRle(rle).counts),
      status: i % 3 === 0 ? ('accepted' as const) : ('proposed' as const),
      source: i % 3 === 0 ? ('manual' as const) : ('persam-f' as const),
      score: i % 3 === 0 ? null : (i % 10) / 10,
    }
  })
  studio.core.context.requireSession().project.annotations.createMany(drafts, 'Benchmark masks')
  return image
}

function row(measurement: string, d: Distribution, floor?: Distribution): Record<string, string | number> {
  return { measurement, p50_ms: round(d.p50, 2), p95_ms: round(d.p95, 2), max_ms: round(d.max, 2), ratio_p50: floor ? round(d.p50 / floor.p50, 2) : 1 }
}

const benchmark: Benchmark = {
  name: 'ui-canvas',
  description: 'Chromium vs the real core: pan/zoom frame work on a 24 MP image with 50 masks, click to preview drawn (toy decoder)',
  async run() {
    const shapes = ellipses()
    const studio = await startStudio()
    const browser = await launchBrowser()
    try {
      const buildStarted = Date.now()
      const image = await buildProject(studio, shapes)
      const imageId = image.id
      const buildMs = Date.now() - buildStarted
      const page = await browser.newPage({ viewport: VIEWPORT })
      const api = new PageApi(page)
      page.on('crash', () => console.error('the page crashed'))
      // The core has the project open: the page adopts it and opens its image.
      const opened = Date.now()
      await page.goto(studio.server.launchUrl)
      await page.locator(`[data-testid="canvas"][data-image-id="${imageId}"][data-image-state="ready"]`).waitFor({ timeout: 120_000 })
      await page.locator(`[data-testid="canvas"][data-mask-count="${MASK_COUNT}"]`).waitFor({ timeout: 60_000 })
      const firstDrawMs = Date.now() - opened

      const zoom = (await page.evaluate(`(${FRAME_SCRIPT})({ frames: ${FRAMES_PER_PHASE}, kind: 'zoom' })`)) as { samples: number[]; cameras: string[] }
      const pan = (await page.evaluate(`(${FRAME_SCRIPT})({ frames: ${FRAMES_PER_PHASE}, kind: 'pan' })`)) as { samples: number[]; cameras: string[] }
      const cameras = [...zoom.cameras, ...pan.cameras]
      const floor = (await page.evaluate(`(${FLOOR_SCRIPT})(${JSON.stringify({ cameras, width: WIDTH, height: HEIGHT, src: mediaPath(image, 'preview') })})`)) as number[]
      await page.keyboard.press('h')
      const hidden = (await page.evaluate(`(${FRAME_SCRIPT})({ frames: ${FRAMES_PER_PHASE}, kind: 'pan' })`)) as { samples: number[] }
      await page.keyboard.press('h')
      await page.keyboard.press('f')

      // Click to preview: each click starts a new object (Esc between clicks), on a different mask.
      // The first click computes the 24 MP image's embedding and is left out.
      const clicks: number[] = []
      const decoder: number[] = []
      const coreTotal: number[] = []
      const rest: number[] = []
      for (let i = -1; i < CLICKS; i++) {
        const target = shapes[(i + MASK_COUNT) % MASK_COUNT]!
        const [cx, cy, z] = (await page.getByTestId('canvas').getAttribute('data-camera'))!.split(' ').map(Number) as [number, number, number]
        const box = (await page.getByTestId('canvas').boundingBox())!
        const answered = api.answers('segment:preview').length
        await page.evaluate(`(${CLICK_WATCH_SCRIPT})()`)
        await page.mouse.click(box.x + cx + target.cx * z, box.y + cy + target.cy * z)
        const watch = page.evaluate('window.clickWatch') as Promise<number>
        const timeout = new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`click ${i} drew no preview within 60 s`)), 60_000))
        const drawn = await Promise.race([watch, timeout])
        for (let wait = 0; api.answers('segment:preview').length <= answered && wait < 100; wait++) await new Promise((resolve) => setTimeout(resolve, 20))
        const preview = api.answers('segment:preview').at(-1)
        if (!preview) throw new Error(`click ${i}: no segment:preview answer was seen`)
        if (i >= 0) {
          clicks.push(drawn)
          decoder.push(preview.timings.decoderMs)
          coreTotal.push(preview.timings.totalMs)
          rest.push(drawn - preview.timings.decoderMs)
        }
        await page.keyboard.press('Escape')
        await page.locator('[data-testid="canvas"][data-preview-request=""]').waitFor()
      }
      const fetchFloor = (await page.evaluate(`(${FETCH_FLOOR_SCRIPT})(${CLICKS})`)) as number[]

      const frames = distribution([...zoom.samples, ...pan.samples])
      const floorD = distribution(floor)
      const clickD = distribution(clicks)
      const decoderD = distribution(decoder)
      const restD = distribution(rest)
      const fetchD = distribution(fetchFloor)
      const rows = [
        row('frame: one preview drawImage (floor)', floorD),
        row('frame: zoom + pan, 50 masks', frames, floorD),
        row('frame: zoom only', distribution(zoom.samples), floorD),
        row('frame: pan only', distribution(pan.samples), floorD),
        row('frame: pan, masks hidden', distribution(hidden.samples), floorD),
        row('HTTP app:info round trip (floor)', fetchD),
        row('click: decoder (timings.decoderMs)', decoderD),
        row('click: core total (timings.totalMs)', distribution(coreTotal)),
        row('click (release) to preview mask drawn', clickD),
        row('click to drawn minus decoder', restD, fetchD),
      ]
      return {
        rows,
        figures: {
          image: { width: WIDTH, height: HEIGHT, preview: '4096x2731 JPEG', masks: MASK_COUNT, viewport: VIEWPORT },
          projectBuildMs: buildMs,
          firstDrawOf50MasksMs: firstDrawMs,
          frameMs: frames,
          floorFrameMs: floorD,
          clickToPreviewMs: clickD,
          decoderMs: decoderD,
          clickMinusDecoderMs: restD,
          fetchFloorMs: fetchD,
          targets: {
            frameMedianUnder16ms: frames.p50 < 16,
            clickMinusDecoderMedianUnder30ms: restD.p50 < 30,
          },
          loadAverage: os.loadavg(),
          note: 'real studio core (toy SAM model on the CPU provider) behind the browser-mode server; headless Chromium without GPU',
        },
      }
    } finally {
      await browser.close()
      await studio.close()
    }
  },
}

export default benchmark
