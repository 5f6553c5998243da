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

/** Image bytes for `media/image/<id>/(preview|thumb)`, or null for an unknown image. */
export type MediaSource = (imageId: number, kind: 'preview' | 'thumb') => Promise<{ body: Buffer; type: string } | null>

function mediaRoute(media: MediaSource): ExtraRoute {
  const cache = new Map<string, Promise<{ body: Buffer; type: string } | null>>()
  return async (_request, response, url) => {
    const match = /^\/media\/image\/(\d+)\/(preview|thumb)$/.exec(url.pathname)
    if (!match) return false
    const key = `${match[1]}/${match[2]}`
    let pending = cache.get(key)
    if (!pending) {
      pending = media(Number(match[1]), match[2] as 'preview' | 'thumb')
      cache.set(key, pending)
    }
    const file = await pending
    if (!file) {
      response.writeHead(404).end()
      return true
    }
    response.writeHead(200, { 'content-type': file.type, 'content-length': String(file.body.length), 'cache-control': 'no-cache' })
    response.end(file.body)
    return true
  }
}

/** The browser-mode server answering every contract channel from `fake`, its events over the WebSocket. */
export async function serveFakeStudio(fake: FakeStudio, rendererDir: string, media: MediaSource): Promise<StudioServer> {
  const handlers: Record<string, Handler<InvokeChannel>> = {}
  for (const channel of invokeChannelNames) handlers[channel] = (request) => fake.call(channel, request as never)
  const dispatch = createDispatch(handlers as unknown as Handlers)
  const events = new EventHub()
  for (const event of eventChannelNames) fake.on(event, (payload) => events.emit(event, payload as never))
  return startStudioServer({ dispatch, events, rendererDir, routes: [mediaRoute(media)] })
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

  const server = await serveFakeStudio(fake, rendererDir, async (imageId, kind) => {
    const scene = scenes.get(imageId)
    if (!scene) return null
    const image = sharp(Buffer.from(scene.rgb), { raw: { width: scene.width, height: scene.height, channels: 3 } })
    return { body: await (kind === 'thumb' ? image.resize(256, 256, { fit: 'inside' }) : image).png().toBuffer(), type: 'image/png' }
  })
  const instanceMask = (imageId: number): RleMask | null => {
    const scene = scenes.get(imageId)
    const instance = scene?.instanceMasks[0]
    return scene && instance ? maskToRle({ width: scene.width, height: scene.height, data: instance }) : null
  }
  return { fake, server, scenes, instanceMask, close: () => server.close() }
}
