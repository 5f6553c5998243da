/**
 * The canvas in Chromium: frame work while zooming and panning a 24-megapixel image (6000x4000,
 * shown from its 4096-pixel preview) with 50 masks, and the time from a click to its preview
 * mask drawn. The core is the in-memory fake (test/e2e/fakeCore.ts): its "decoder" answers at
 * once, so the click figure is the studio's own overhead (HTTP, JSON, RLE decode, raster, draw).
 *
 * Frame work = handling the input event (wheel or pointer) + everything the next frame runs on the
 * main thread (Konva's draw, mask refinement, style, layout, paint), timed in the page. The floor,
 * in the same page and run, is what any viewer must do per frame: one drawImage of the preview
 * through the same cameras, timed the same way. Headless Chromium here has no GPU
 * (--disable-gpu), so canvas drawing is software-rasterised.
 */
import { existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import type { RleMask } from '../src/common/ipc/types'
import { launchBrowser } from '../test/e2e/harness'
import { serveFakeStudio } from '../test/e2e/fakeCore'
import { maskToRle } from '../test/renderer/helpers/fakeMasks'
import { FakeStudio, maskFields } from '../test/renderer/helpers/fakeStudio'
import { distribution, round, type Benchmark, type Distribution } from './lib/harness'

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
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  return Array.from({ length: MASK_COUNT }, () => {
    const rx = 30 + next() * 420
    const ry = 30 + next() * 320
    return { cx: rx + next() * (WIDTH - 2 * rx), cy: ry + next() * (HEIGHT - 2 * ry), rx, ry }
  })
}

function ellipseMask(e: Ellipse, data: Uint8Array): RleMask {
  data.fill(0)
  for (let y = Math.floor(e.cy - e.ry); y <= Math.ceil(e.cy + e.ry); y++) {
    const t = 1 - ((y - e.cy) / e.ry) ** 2
    if (y < 0 || y >= HEIGHT || t <= 0) continue
    const half = e.rx * Math.sqrt(t)
    data.fill(1, y * WIDTH + Math.max(0, Math.round(e.cx - half)), y * WIDTH + Math.min(WIDTH, Math.round(e.cx + half)))
  }
  return maskToRle({ width: WIDTH, height: HEIGHT, data })
}

async function buildFake(): Promise<{ fake: FakeStudio; shapes: Ellipse[] }> {
  const fake = new FakeStudio({ images: 0 })
  fake.images.push({ id: 1, fileName: 'aerial_24mp.jpg', width: WIDTH, height: HEIGHT })
  const shapes = ellipses()
  const data = new Uint8Array(WIDTH * HEIGHT)
  const masks = shapes.map((shape) => ellipseMask(shape, data))
  masks.forEach((mask, i) => fake.addAnnotation({ imageId: 1, status: i % 3 === 0 ? 'accepted' : 'proposed', score: (i % 10) / 10, ...maskFields(mask) }))
  fake.segmenter = (request) => {
    const point = request.points[0]
    const index = point ? shapes.findIndex((e) => ((point.x - e.cx) / e.rx) ** 2 + ((point.y - e.cy) / e.ry) ** 2 < 1) : -1
    const mask = masks[index]
    return mask ? [mask, mask, mask] : null
  }
  return { fake, shapes }
}

async function preview(): Promise<Buffer> {
  const width = 4096
  const height = Math.round((HEIGHT / WIDTH) * 4096)
  return sharp({ create: { width, height, channels: 3, background: { r: 96, g: 112, b: 104 }, noise: { type: 'gaussian', mean: 118, sigma: 36 } } })
    .jpeg({ quality: 85 })
    .toBuffer()
}

/**
 * In the page, per frame: our animation-frame callback is registered before the input event is
 * dispatched, so it runs first in the next frame; a message posted from it runs after every other
 * callback of that frame (Konva's draw, mask refinement) and after style, layout and paint.
 * Frame work = input handling + (that message - our callback).
 */
const FRAME_SCRIPT = `async ({ frames, kind }) => {
  const canvas = document.querySelector('[data-testid="canvas"]')
  const rect = canvas.getBoundingClientRect()
  const channel = new MessageChannel()
  const afterFrame = () => new Promise((resolve) => { channel.port1.onmessage = () => resolve(performance.now()); channel.port2.postMessage(0) })
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(async () => { const start = performance.now(); resolve(await afterFrame() - start) }))
  const cameras = []
  const samples = []
  const at = (i) => ({ clientX: rect.left + rect.width * (0.3 + 0.4 * ((i * 37) % 100) / 100), clientY: rect.top + rect.height * (0.3 + 0.4 * ((i * 61) % 100) / 100) })
  if (kind === 'pan') canvas.dispatchEvent(new PointerEvent('pointerdown', { ...at(0), button: 1, buttons: 4, pointerId: 7, bubbles: true }))
  await nextFrame()
  for (let i = 0; i < frames; i++) {
    const frame = nextFrame()
    const t0 = performance.now()
    if (kind === 'zoom') {
      canvas.dispatchEvent(new WheelEvent('wheel', { ...at(i), deltaY: (i % 60) < 30 ? -40 : 40, bubbles: true, cancelable: true }))
    } else {
      const angle = i / 12
      canvas.dispatchEvent(new PointerEvent('pointermove', { clientX: rect.left + rect.width / 2 + 200 * Math.cos(angle), clientY: rect.top + rect.height / 2 + 150 * Math.sin(angle), buttons: 4, pointerId: 7, bubbles: true }))
    }
    const input = performance.now() - t0
    samples.push(input + await frame)
    cameras.push(canvas.dataset.camera)
  }
  if (kind === 'pan') canvas.dispatchEvent(new PointerEvent('pointerup', { ...at(0), button: 1, pointerId: 7, bubbles: true }))
  return { samples, cameras }
}`

/** In the page: the floor, one drawImage of the preview per frame through the recorded cameras, timed the same way. */
const FLOOR_SCRIPT = `async ({ cameras, width, height }) => {
  const stageCanvas = document.querySelector('[data-testid="canvas"] canvas')
  const canvas = document.createElement('canvas')
  canvas.width = stageCanvas.width
  canvas.height = stageCanvas.height
  canvas.style.position = 'fixed'
  canvas.style.left = '0'
  canvas.style.top = '0'
  document.body.appendChild(canvas)
  const context = canvas.getContext('2d')
  const image = new Image()
  image.src = 'media/image/1/preview'
  await image.decode()
  const channel = new MessageChannel()
  const afterFrame = () => new Promise((resolve) => { channel.port1.onmessage = () => resolve(performance.now()); channel.port2.postMessage(0) })
  const samples = []
  for (const camera of cameras) {
    const [x, y, zoom] = camera.split(' ').map(Number)
    samples.push(await new Promise((resolve) => requestAnimationFrame(async () => {
      const start = performance.now()
      context.setTransform(1, 0, 0, 1, 0, 0)
      context.clearRect(0, 0, canvas.width, canvas.height)
      context.setTransform(zoom, 0, 0, zoom, x, y)
      context.drawImage(image, 0, 0, width, height)
      resolve(await afterFrame() - start)
    })))
  }
  canvas.remove()
  return samples
}`

/** In the page: window.clickWatch resolves with the time from the next pointer release on the canvas (the point is added on release) to a newly drawn preview. */
const CLICK_WATCH_SCRIPT = `() => { window.clickWatch = new Promise((resolve) => {
  const canvas = document.querySelector('[data-testid="canvas"]')
  let start = 0
  canvas.addEventListener('pointerup', () => { start = performance.now() }, { capture: true, once: true })
  const observer = new MutationObserver(() => {
    if (start > 0 && canvas.dataset.previewRequest) {
      observer.disconnect()
      resolve(performance.now() - start)
    }
  })
  observer.observe(canvas, { attributes: true, attributeFilter: ['data-preview-request'] })
}) }`

const FETCH_FLOOR_SCRIPT = `async (count) => {
  const samples = []
  for (let i = 0; i < count; i++) {
    const t0 = performance.now()
    await (await fetch('api/app:info', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).text()
    samples.push(performance.now() - t0)
  }
  return samples
}`

function row(measurement: string, d: Distribution, floor?: Distribution): Record<string, string | number> {
  return { measurement, p50_ms: round(d.p50, 2), p95_ms: round(d.p95, 2), max_ms: round(d.max, 2), ratio_p50: floor ? round(d.p50 / floor.p50, 2) : 1 }
}

const benchmark: Benchmark = {
  name: 'ui-canvas',
  description: 'Chromium: pan/zoom frame work on a 24 MP image with 50 masks, click to preview drawn (fake core)',
  async run() {
    const rendererDir = path.resolve('out/renderer')
    if (!existsSync(path.join(rendererDir, 'index.html'))) throw new Error(`${rendererDir}/index.html is missing: run \`npm run build\` first`)
    const { fake, shapes } = await buildFake()
    const previewJpeg = await preview()
    const thumb = await sharp(previewJpeg).resize(256).jpeg().toBuffer()
    const server = await serveFakeStudio(fake, rendererDir, async (id, kind) => (id === 1 ? { body: kind === 'preview' ? previewJpeg : thumb, type: 'image/jpeg' } : null))
    const browser = await launchBrowser()
    try {
      const page = await browser.newPage({ viewport: VIEWPORT })
      page.on('crash', () => console.error('the page crashed'))
      await page.goto(server.launchUrl)
      await page.getByTestId('welcome-open-demo').click()
      const opened = Date.now()
      await page.locator('[data-testid="canvas"][data-image-state="ready"]').waitFor({ timeout: 60_000 })
      await page.locator(`[data-testid="canvas"][data-mask-count="${MASK_COUNT}"]`).waitFor({ timeout: 60_000 })
      const firstDrawMs = Date.now() - opened

      const zoom = (await page.evaluate(`(${FRAME_SCRIPT})({ frames: ${FRAMES_PER_PHASE}, kind: 'zoom' })`)) as { samples: number[]; cameras: string[] }
      const pan = (await page.evaluate(`(${FRAME_SCRIPT})({ frames: ${FRAMES_PER_PHASE}, kind: 'pan' })`)) as { samples: number[]; cameras: string[] }
      const cameras = [...zoom.cameras, ...pan.cameras]
      const floor = (await page.evaluate(`(${FLOOR_SCRIPT})(${JSON.stringify({ cameras, width: WIDTH, height: HEIGHT })})`)) as number[]
      await page.keyboard.press('h')
      const hidden = (await page.evaluate(`(${FRAME_SCRIPT})({ frames: ${FRAMES_PER_PHASE}, kind: 'pan' })`)) as { samples: number[] }
      await page.keyboard.press('h')
      await page.keyboard.press('f')

      // Click to preview: each click starts a new object (Esc between clicks), on a different mask.
      const clicks: number[] = []
      for (let i = 0; i < CLICKS; i++) {
        const target = shapes[i % shapes.length]!
        const [cx, cy, z] = (await page.getByTestId('canvas').getAttribute('data-camera'))!.split(' ').map(Number) as [number, number, number]
        const box = (await page.getByTestId('canvas').boundingBox())!
        await page.evaluate(`(${CLICK_WATCH_SCRIPT})()`)
        await page.mouse.click(box.x + cx + target.cx * z, box.y + cy + target.cy * z)
        const watch = page.evaluate('window.clickWatch') as Promise<number>
        const timeout = new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`click ${i} on mask ${i % shapes.length} drew no preview within 10 s`)), 10_000))
        try {
          clicks.push(await Promise.race([watch, timeout]))
        } catch (error) {
          await page.screenshot({ path: 'test-artifacts/ui-canvas-stuck.png' })
          throw error
        }
        await page.keyboard.press('Escape')
        await page.locator('[data-testid="canvas"][data-preview-request=""]').waitFor()
      }
      const fetchFloor = (await page.evaluate(`(${FETCH_FLOOR_SCRIPT})(${CLICKS})`)) as number[]

      const frames = distribution([...zoom.samples, ...pan.samples])
      const floorD = distribution(floor)
      const clickD = distribution(clicks)
      const fetchD = distribution(fetchFloor)
      const rows = [
        row('frame: one preview drawImage (floor)', floorD),
        row('frame: zoom + pan, 50 masks', frames, floorD),
        row('frame: zoom only', distribution(zoom.samples), floorD),
        row('frame: pan only', distribution(pan.samples), floorD),
        row('frame: pan, masks hidden', distribution(hidden.samples), floorD),
        row('HTTP app:info round trip (floor)', fetchD),
        row('click (release) to preview mask drawn', clickD, fetchD),
      ]
      return {
        rows,
        figures: {
          image: { width: WIDTH, height: HEIGHT, preview: '4096x2731 JPEG', masks: MASK_COUNT, viewport: VIEWPORT },
          firstDrawOf50MasksMs: firstDrawMs,
          frameMs: frames,
          floorFrameMs: floorD,
          clickToPreviewMs: clickD,
          fetchFloorMs: fetchD,
          targets: {
            frameMedianUnder16ms: frames.p50 < 16,
            clickOverheadUnder30ms: clickD.p50 < 30,
          },
          loadAverage: os.loadavg(),
          note: 'fake core: the decoder time is ~0, so the click figure is the studio overhead; headless Chromium without GPU',
        },
      }
    } finally {
      await browser.close()
      await server.close()
    }
  },
}

export default benchmark
