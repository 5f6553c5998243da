/**
 * Scripts the canvas benchmark evaluates in the page (as strings: they run in Chromium, not in
 * Node). Each times one thing with performance.now() inside the page.
 */

/**
 * Per frame: our animation-frame callback is registered before the input event is dispatched,
 * so it runs first in the next frame; a message posted from it runs after every other callback
 * of that frame (Konva's draw, mask refinement) and after style, layout and paint.
 * Frame work = input handling + (that message - our callback). Returns the samples and the
 * cameras the canvas published, for the floor to replay.
 */
export const FRAME_SCRIPT = `async ({ frames, kind }) => {
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

/** The floor: one drawImage of the preview per frame through the recorded cameras, timed the same way. */
export const FLOOR_SCRIPT = `async ({ cameras, width, height, src }) => {
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
  image.src = src
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

/**
 * window.clickWatch resolves with the time from the next pointer release on the canvas (the
 * point is added on release) to a newly drawn preview (the canvas sets data-preview-request
 * when the mask layer has drawn it).
 */
export const CLICK_WATCH_SCRIPT = `() => { window.clickWatch = new Promise((resolve) => {
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

/** One POST round trip to the same server, `count` times: the click's floor. */
export const FETCH_FLOOR_SCRIPT = `async (count) => {
  const samples = []
  for (let i = 0; i < count; i++) {
    const t0 = performance.now()
    await (await fetch('api/app:info', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).text()
    samples.push(performance.now() - t0)
  }
  return samples
}`
