/**
 * The inference worker (a worker_threads entry): owns the encoder and decoder sessions, so
 * onnxruntime's blocking run() never stalls the caller's event loop. Requests queue here; a
 * decode (interactive) overtakes queued encodes, a cancel drops a request that has not started,
 * and a few embeddings stay resident so decodes need not resend 4 MiB each.
 */
import { parentPort } from 'node:worker_threads'
import * as ort from 'onnxruntime-node'
import type { MaskPayload } from '../../../common/sam/port'
import { ByteBudgetLru } from '../../../common/util/byteBudgetLru'
import { runDecoder, runEncoder } from './inference'
import { loadModelPair, releaseModel, type LoadedModel } from './modelSessions'
import { CANCELLED, EMBEDDING_MISSING, type WorkerReply, type WorkerReplyValue, type WorkerRequest } from './protocol'

const port = parentPort
if (!port) throw new Error('inferenceWorker.ts must run as a worker thread')

// Failed provider attempts would print native error logs; they reach the caller as exceptions
// and in the provider report instead.
ort.env.logLevel = 'fatal'

const RESIDENT_EMBEDDINGS = 4
let model: LoadedModel | null = null
/** Why the last load failed, so later requests can say it (e.g. a reload after a respawn). */
let loadFailure: string | null = null
const resident = new ByteBudgetLru<string, Float32Array>(RESIDENT_EMBEDDINGS * 256 * 64 * 64 * 4, (embedding) => embedding.byteLength)
const queue: Exclude<WorkerRequest, { type: 'cancel' }>[] = []
let draining = false

class CodedError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message)
  }
}

function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, [...new Set(transfer)])
}

function requireModel(): LoadedModel {
  if (!model) throw new Error(`no model is loaded in the inference worker${loadFailure ? ` (loading failed: ${loadFailure})` : ''}`)
  return model
}

/** The typed arrays of a result's mask payload, to transfer rather than copy. */
function maskBuffers(payload: MaskPayload): ArrayBufferView[] {
  switch (payload.maskOutput) {
    case 'logits':
      return [payload.masks]
    case 'binary':
      return [payload.binaryMasks]
    case 'rle':
      return payload.rles.map((rle) => rle.counts)
    case 'none':
      return []
  }
}

async function handle(request: Exclude<WorkerRequest, { type: 'cancel' }>): Promise<{ value: WorkerReplyValue; transfer: ArrayBuffer[] }> {
  switch (request.type) {
    case 'load': {
      if (model) await releaseModel(model)
      model = null
      resident.clear()
      try {
        model = await loadModelPair(request.config)
      } catch (error) {
        loadFailure = error instanceof Error ? error.message : String(error)
        throw error
      }
      loadFailure = null
      return { value: model.info, transfer: [] }
    }
    case 'encode': {
      const result = await runEncoder(requireModel(), request.job)
      if (request.job.keepAs) resident.set(request.job.keepAs, result.embedding.slice())
      return { value: result, transfer: [result.embedding.buffer as ArrayBuffer] }
    }
    case 'decode': {
      const { job } = request
      if (job.embedding) resident.set(job.embeddingKey, job.embedding)
      const embedding = resident.get(job.embeddingKey)
      if (!embedding) throw new CodedError(`embedding ${job.embeddingKey} is not resident in the worker`, EMBEDDING_MISSING)
      const result = await runDecoder(requireModel(), embedding, job)
      const buffers = [result.iouPredictions, result.lowResLogits, ...maskBuffers(result), ...result.fullSizeMasks.map((entry) => entry.mask), ...(result.fused ? [result.fused.lowResLogits] : [])]
      return { value: result, transfer: buffers.map((array) => array.buffer as ArrayBuffer) }
    }
    case 'release': {
      if (model) await releaseModel(model)
      model = null
      resident.clear()
      return { value: null, transfer: [] }
    }
  }
}

/** Next request: a decode overtakes encodes, but never crosses a load or release. */
function takeNext(): Exclude<WorkerRequest, { type: 'cancel' }> | undefined {
  const barrier = queue.findIndex((request) => request.type === 'load' || request.type === 'release')
  const window = barrier === -1 ? queue.length : Math.max(barrier, 1)
  const decode = queue.slice(0, window).findIndex((request) => request.type === 'decode')
  return queue.splice(decode === -1 ? 0 : decode, 1)[0]
}

async function drain(): Promise<void> {
  if (draining) return
  draining = true
  try {
    for (let request = takeNext(); request; request = takeNext()) {
      try {
        const { value, transfer } = await handle(request)
        reply({ id: request.id, ok: true, value }, transfer)
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        reply({ id: request.id, ok: false, error: { message, code: error instanceof CodedError ? error.code : undefined } })
      }
      // Let messages that arrived during the run (cancels, decodes) in before picking the next one.
      await new Promise((resolve) => setImmediate(resolve))
    }
  } finally {
    draining = false
  }
}

port.on('message', (request: WorkerRequest) => {
  if (request.type === 'cancel') {
    const index = queue.findIndex((queued) => queued.id === request.target)
    if (index >= 0) {
      queue.splice(index, 1)
      reply({ id: request.target, ok: false, error: { message: 'cancelled before it started', code: CANCELLED } })
    }
    return
  }
  queue.push(request)
  setImmediate(() => void drain())
})
