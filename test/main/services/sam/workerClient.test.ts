/** Request ids, stale replies, cancellation, priorities and crash recovery of the inference worker. */
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { resizeLongestSide } from '../../../../src/common/sam/geometry'
import type { LoadConfig } from '../../../../src/main/services/sam/protocol'
import { InferenceWorkerClient, RequestCancelledError } from '../../../../src/main/services/sam/workerClient'

const TOY = path.resolve('resources/models/toy-sam')
const config: LoadConfig = {
  model: { id: 'toy-sam', encoderFile: `${TOY}/encoder.onnx`, decoderFile: `${TOY}/decoder.onnx` },
  providers: ['cpu'],
  encoderThreads: 1,
  decoderThreads: 1,
}
const clients: InferenceWorkerClient[] = []

function client(entry?: string): InferenceWorkerClient {
  const created = new InferenceWorkerClient(entry ? { file: path.resolve(entry), typescript: true } : undefined)
  clients.push(created)
  return created
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((created) => created.close()))
})

const image = (width: number, height: number) => ({ rgb: new Uint8Array(width * height * 3).fill(90), width, height })
const geometry = resizeLongestSide(1024, 768)
const decodeJob = (key: string) => ({
  embeddingKey: key,
  geometry,
  points: [{ x: 100, y: 100, label: 1 as const }],
  box: null,
  maskInput: null,
  outputSize: { width: 64, height: 48 },
  attnSim: null,
  targetEmbedding: null,
  fullSizeMasks: [],
    maskOutput: 'logits' as const,
    fusionWeights: null,
})

describe('InferenceWorkerClient', () => {
  it('drops the reply of a superseded request and answers the newest', async () => {
    const worker = client()
    await worker.load(config)
    const { embedding } = await worker.encode(image(1024, 768))
    const first = worker.decode(decodeJob('a'), embedding, { supersede: 'editor' })
    const second = worker.decode(decodeJob('a'), embedding, { supersede: 'editor' })
    await expect(first).rejects.toBeInstanceOf(RequestCancelledError)
    await expect(first).rejects.toThrow(/superseded by a newer request/)
    const result = await second
    expect(result.maskCount).toBe(4)
    if (result.maskOutput !== 'logits') throw new Error(`expected logits, got ${result.maskOutput}`)
    expect(result.masks.length).toBe(4 * 64 * 48)
    // The worker answered the first request too (result or cancellation): that reply was dropped.
    expect(worker.droppedReplies).toBe(1)
  })

  it('cancels with an AbortSignal, before sending or while in flight', async () => {
    const worker = client()
    await worker.load(config)
    const { embedding } = await worker.encode(image(1024, 768))
    await expect(worker.decode(decodeJob('b'), embedding, { signal: AbortSignal.abort() })).rejects.toThrow(/cancelled before it was sent/)
    const controller = new AbortController()
    const pending = worker.decode(decodeJob('b'), embedding, { signal: controller.signal })
    controller.abort()
    await expect(pending).rejects.toBeInstanceOf(RequestCancelledError)
    expect((await worker.decode(decodeJob('b'), embedding)).maskCount).toBe(4)
    expect(worker.droppedReplies).toBe(1)
  })

  it('lets a queued decode overtake queued encodes (encodes stay in order)', async () => {
    const worker = client()
    await worker.load(config)
    const { embedding } = await worker.encode(image(1024, 768), { supersede: 'warm-up' })
    const order: string[] = []
    const busy = worker.encode(image(1024, 768)).then(() => order.push('encode 1'))
    const queuedEncode = worker.encode(image(1024, 768)).then(() => order.push('encode 2'))
    const decode = worker.decode(decodeJob('c'), embedding).then(() => order.push('decode'))
    await Promise.all([busy, queuedEncode, decode])
    // encode 1 may already run when the decode arrives (then it finishes first); encode 2 cannot.
    expect(order.indexOf('decode')).toBeLessThan(order.indexOf('encode 2'))
    expect(order.indexOf('encode 1')).toBeLessThan(order.indexOf('encode 2'))
  })

  it('resends an embedding the worker no longer holds', async () => {
    const worker = client()
    await worker.load(config)
    const { embedding } = await worker.encode(image(1024, 768))
    await worker.decode(decodeJob('d'), embedding)
    // Five other embeddings push 'd' out of the worker's 4-entry resident set.
    for (const key of ['e', 'f', 'g', 'h', 'i']) await worker.decode(decodeJob(key), embedding)
    expect((await worker.decode(decodeJob('d'), embedding)).maskCount).toBe(4)
  })

  it('rejects everything pending when the worker crashes, then respawns and reloads on the next request', async () => {
    const worker = client('test/helpers/crashingInferenceWorker.ts')
    await worker.load(config)
    const { embedding } = await worker.encode(image(1024, 768))
    const crashing = worker.encode(image(13, 10))
    const queued = worker.decode(decodeJob('j'), embedding)
    await expect(crashing).rejects.toThrow(/SAM inference worker crashed \(exit code 7\) while handling: encode, decode; it restarts on the next request/)
    await expect(queued).rejects.toThrow(/crashed/)
    expect(worker.spawnCount).toBe(1)
    const again = await worker.decode(decodeJob('j'), embedding)
    expect(again.maskCount).toBe(4)
    expect(worker.spawnCount).toBe(2)
  })

  it('abort() stops a running request at once and the next one respawns the worker', async () => {
    const worker = client()
    await worker.load(config)
    const running = worker.encode(image(1024, 768))
    worker.abort('user pressed stop')
    await expect(running).rejects.toThrow(/SAM inference worker stopped: user pressed stop/)
    const { embedding } = await worker.encode(image(1024, 768))
    expect(embedding.length).toBe(256 * 64 * 64)
    expect(worker.spawnCount).toBe(2)
  })

  it('reports a model error as a rejected request, not a crash', async () => {
    const worker = client()
    await expect(worker.load({ ...config, model: { ...config.model, decoderFile: `${TOY}/nope.onnx` } })).rejects.toThrow(/decoder .*nope\.onnx: model file not found/)
    await expect(worker.encode(image(10, 10))).rejects.toThrow(/no model is loaded in the inference worker \(loading failed: decoder .*nope\.onnx: model file not found/)
    expect(worker.spawnCount).toBe(1)
  })
})
