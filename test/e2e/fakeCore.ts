/**
 * The browser-mode server in front of the in-memory fake core (test/renderer/helpers/fakeStudio),
 * with synthetic photos served at the media URLs. It lets the real UI run in Chromium before the
 * studio API exists: requests still pass the contract's validation (createDispatch), events still
 * travel over the WebSocket, and the test can act as the core (run a propagation) in-process.
 */
import sharp from 'sharp'
import { eventChannelNames, invokeChannelNames, type InvokeChannel } from '../../src/common/ipc/contract'
import { generateDatasetSpec, renderSyntheticImage, type RenderedScene } from '../../src/common/synthetic'
import { createDispatch, type Handler, type Handlers } from '../../src/main/api/dispatch'
import { EventHub } from '../../src/main/api/events'
import { startStudioServer, type ExtraRoute, type StudioServer } from '../../src/main/server/server'
import type { RleMask } from '../../src/common/ipc/types'
import { boxMask, boxOfMask, maskToRle } from '../renderer/helpers/fakeMasks'
import { FakeStudio } from '../renderer/helpers/fakeStudio'

export interface FakeStudioUnderTest {
  readonly fake: FakeStudio
  readonly server: StudioServer
  readonly scenes: ReadonlyMap<number, RenderedScene>
  /** The target object's first instance in each image that shows it, as the core would store it. */
  instanceMask(imageId: number): RleMask | null
  close(): Promise<void>
}

/** Serves `media/image/<id>/(preview|thumb)` as PNGs of the synthetic scenes. */
function mediaRoute(scenes: ReadonlyMap<number, RenderedScene>): ExtraRoute {
  const cache = new Map<string, Buffer>()
  return async (_request, response, url) => {
    const match = /^\/media\/image\/(\d+)\/(preview|thumb)$/.exec(url.pathname)
    if (!match) return false
    const scene = scenes.get(Number(match[1]))
    if (!scene) {
      response.writeHead(404).end()
      return true
    }
    const key = `${match[1]}/${match[2]}`
    let png = cache.get(key)
    if (!png) {
      const image = sharp(Buffer.from(scene.rgb), { raw: { width: scene.width, height: scene.height, channels: 3 } })
      png = await (match[2] === 'thumb' ? image.resize(256, 256, { fit: 'inside' }) : image).png().toBuffer()
      cache.set(key, png)
    }
    response.writeHead(200, { 'content-type': 'image/png', 'content-length': String(png.length), 'cache-control': 'no-cache' })
    response.end(png)
    return true
  }
}

export async function startFakeStudio(rendererDir: string, imageCount = 8): Promise<FakeStudioUnderTest> {
  const [object] = generateDatasetSpec({ objectCount: 1, minImages: imageCount, maxImages: imageCount, seed: 7 })
  if (!object) throw new Error('the synthetic generator made no object')
  const fake = new FakeStudio({ images: 0 })
  const scenes = new Map<number, RenderedScene>()
  object.images.forEach((spec, index) => {
    const id = index + 1
    scenes.set(id, renderSyntheticImage(object, spec))
    fake.images.push({ id, fileName: `${object.template.name}_${spec.index}.png`, width: spec.width, height: spec.height })
  })

  const handlers: Record<string, Handler<InvokeChannel>> = {}
  for (const channel of invokeChannelNames) handlers[channel] = (request) => fake.call(channel, request as never)
  const dispatch = createDispatch(handlers as unknown as Handlers)
  const events = new EventHub()
  for (const event of eventChannelNames) fake.on(event, (payload) => events.emit(event, payload as never))

  // SAM's stand-in: a click on the target object gives its exact mask (the toy model is not this good).
  fake.segmenter = (request) => {
    const scene = scenes.get(request.imageId)
    const point = request.points.find((p) => p.positive)
    const instance = scene && point ? scene.instanceMasks.find((mask) => mask[Math.floor(point.y) * scene.width + Math.floor(point.x)] === 1) : undefined
    if (!scene || !instance) return null
    const rle = maskToRle({ width: scene.width, height: scene.height, data: instance })
    const { x0, y0, x1, y1 } = boxOfMask(rle)
    return [rle, rle, boxMask({ x0, y0, x1, y1 }, scene.width, scene.height)]
  }

  const server = await startStudioServer({ dispatch, events, rendererDir, routes: [mediaRoute(scenes)] })
  const instanceMask = (imageId: number): RleMask | null => {
    const scene = scenes.get(imageId)
    const instance = scene?.instanceMasks[0]
    return scene && instance ? maskToRle({ width: scene.width, height: scene.height, data: instance }) : null
  }
  return { fake, server, scenes, instanceMask, close: () => server.close() }
}
