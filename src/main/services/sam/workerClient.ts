/**
 * The caller's side of the inference worker: one worker_threads Worker, requests with ids,
 * replies matched by id (a reply nobody waits for any more is dropped), cancellation, and crash
 * recovery: a dead worker rejects what was pending with a clear error and is respawned (and its
 * model reloaded) on the next request.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import {
  EMBEDDING_MISSING,
  type DecodeJob,
  type DecodeReply,
  type EncodeJob,
  type EncodeReply,
  type LoadConfig,
  type LoadedModelInfo,
  type WorkerReply,
  type WorkerRequest,
} from './protocol'

export interface WorkerEntry {
  readonly file: string
  /** TypeScript source (vitest, tsx): loaded through tsx's tsImport inside the worker. */
  readonly typescript: boolean
}

/**
 * The worker script next to the running code: the .ts source under vitest/tsx, or the built
 * inferenceWorker.js (electron-vite emits it as its own entry in out/main/).
 */
export function defaultWorkerEntry(moduleUrl: string = import.meta.url): WorkerEntry {
  const here = fileURLToPath(moduleUrl)
  if (here.endsWith('.ts')) return { file: path.join(path.dirname(here), 'inferenceWorker.ts'), typescript: true }
  for (const dir of [path.dirname(here), path.dirname(path.dirname(here))]) {
    const candidate = path.join(dir, 'inferenceWorker.js')
    if (existsSync(candidate)) return { file: candidate, typescript: false }
  }
  throw new Error(`cannot find inferenceWorker.js next to ${here}`)
}

/**
 * Node 20 does not apply `--import tsx` given in a Worker's execArgv (the module hooks stay on
 * the parent thread), so a TypeScript worker starts from a small bootstrap that imports the
 * source through tsx's tsImport API.
 */
const TYPESCRIPT_BOOTSTRAP = `
const { workerData } = require('node:worker_threads')
import(workerData.tsxApi).then(({ tsImport }) => tsImport(workerData.file, workerData.file))
`

function startWorker(entry: WorkerEntry): Worker {
  if (!entry.typescript) return new Worker(entry.file)
  const workerData = { tsxApi: import.meta.resolve('tsx/esm/api'), file: pathToFileURL(entry.file).href }
  return new Worker(TYPESCRIPT_BOOTSTRAP, { eval: true, workerData })
}

export class RequestCancelledError extends Error {
  override readonly name = 'RequestCancelledError'
}

export interface RequestOptions {
  readonly signal?: AbortSignal
  /** A newer request with the same key cancels this one (e.g. 'editor' for decodes on every click). */
  readonly supersede?: string
}

interface Pending {
  readonly type: WorkerRequest['type']
  readonly resolve: (value: unknown) => void
  readonly reject: (error: Error) => void
  readonly cleanup: () => void
  readonly cancel: (why: string) => void
}

type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never

export class InferenceWorkerClient {
  private worker: Worker | null = null
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private readonly superseded = new Map<string, number>()
  private loadConfig: LoadConfig | null = null
  /** Embedding keys the current worker has been sent (it may still have evicted some). */
  private readonly sentEmbeddings = new Set<string>()
  private closed = false
  /** Replies that arrived for requests nobody waits for (cancelled, superseded). */
  droppedReplies = 0
  /** Workers started so far (1 + respawns). */
  spawnCount = 0

  constructor(private readonly entry: WorkerEntry = defaultWorkerEntry()) {}

  async load(config: LoadConfig): Promise<LoadedModelInfo> {
    this.loadConfig = config
    this.sentEmbeddings.clear()
    return (await this.send({ type: 'load', config })) as LoadedModelInfo
  }

  async encode(job: EncodeJob, options: RequestOptions = {}): Promise<EncodeReply> {
    if (job.keepAs) this.sentEmbeddings.add(job.keepAs)
    return (await this.send({ type: 'encode', job }, [job.rgb.buffer as ArrayBuffer], options)) as EncodeReply
  }

  /** Sends the embedding only when this worker has not had it; retries with it if it was evicted. */
  async decode(job: Omit<DecodeJob, 'embedding'>, embedding: Float32Array, options: RequestOptions = {}): Promise<DecodeReply> {
    const attempt = async (withEmbedding: boolean): Promise<DecodeReply> => {
      const copies = [job.maskInput, job.attnSim, job.targetEmbedding].map((array) => array?.slice() ?? null)
      const sent = withEmbedding ? embedding.slice() : undefined
      const full: DecodeJob = { ...job, embedding: sent, maskInput: copies[0]!, attnSim: copies[1]!, targetEmbedding: copies[2]! }
      if (withEmbedding) this.sentEmbeddings.add(job.embeddingKey)
      const transfer = [sent, ...copies].flatMap((array) => (array ? [array.buffer as ArrayBuffer] : []))
      return (await this.send({ type: 'decode', job: full }, transfer, options)) as DecodeReply
    }
    try {
      return await attempt(!this.sentEmbeddings.has(job.embeddingKey))
    } catch (error) {
      if ((error as { code?: string }).code !== EMBEDDING_MISSING) throw error
      return attempt(true)
    }
  }

  /** Stops the worker now (the only way to interrupt a running model); the next request respawns it. */
  abort(reason = 'aborted by the caller'): void {
    this.stopWorker(new Error(`SAM inference worker stopped: ${reason}`))
  }

  async close(): Promise<void> {
    this.closed = true
    this.stopWorker(new Error('SAM runtime closed'))
  }

  private stopWorker(error: Error): void {
    const worker = this.worker
    this.worker = null
    this.failPending(error)
    if (worker) void worker.terminate()
  }

  private failPending(error: Error): void {
    const pending = [...this.pending.values()]
    this.pending.clear()
    this.superseded.clear()
    for (const request of pending) {
      request.cleanup()
      request.reject(error)
    }
  }

  private spawn(reload: boolean): Worker {
    const worker = startWorker(this.entry)
    this.spawnCount++
    this.sentEmbeddings.clear()
    let crash: Error | null = null
    worker.on('message', (reply: WorkerReply) => this.onReply(reply))
    worker.on('error', (error) => (crash = error))
    worker.on('exit', (code) => {
      if (this.worker !== worker) return // terminated on purpose; pending requests already failed
      this.worker = null
      const detail = crash ? crash.message : `exit code ${code}`
      const running = [...this.pending.values()].map((request) => request.type).join(', ') || 'no request'
      this.failPending(new Error(`SAM inference worker crashed (${detail}) while handling: ${running}; it restarts on the next request`))
    })
    this.worker = worker
    if (reload && this.loadConfig) {
      // A respawned worker reloads the model before anything else (loads are never overtaken).
      this.post({ type: 'load', config: this.loadConfig }, [], {}).catch(() => {})
    }
    return worker
  }

  private onReply(reply: WorkerReply): void {
    const request = this.pending.get(reply.id)
    if (!request) {
      this.droppedReplies++
      return
    }
    this.pending.delete(reply.id)
    request.cleanup()
    if (this.pending.size === 0) this.worker?.unref()
    if (reply.ok) request.resolve(reply.value)
    else request.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }))
  }

  private send(body: RequestBody, transfer: ArrayBuffer[] = [], options: RequestOptions = {}): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('SAM runtime closed'))
    if (!this.worker) this.spawn(body.type !== 'load')
    return this.post(body, transfer, options)
  }

  private post(body: RequestBody, transfer: ArrayBuffer[], options: RequestOptions): Promise<unknown> {
    const worker = this.worker!
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) return reject(new RequestCancelledError(`${body.type} cancelled before it was sent`))
      const onAbort = () => cancel('cancelled')
      const cleanup = () => {
        options.signal?.removeEventListener('abort', onAbort)
        if (options.supersede && this.superseded.get(options.supersede) === id) this.superseded.delete(options.supersede)
      }
      // The promise settles now; if the worker already started, its reply arrives later and is dropped.
      const cancel = (why: string) => {
        if (!this.pending.delete(id)) return
        cleanup()
        worker.postMessage({ id: this.nextId++, type: 'cancel', target: id } satisfies WorkerRequest)
        reject(new RequestCancelledError(`${body.type} #${id} ${why}`))
      }
      options.signal?.addEventListener('abort', onAbort, { once: true })
      if (options.supersede) {
        const previous = this.superseded.get(options.supersede)
        if (previous !== undefined) this.pending.get(previous)?.cancel('superseded by a newer request')
        this.superseded.set(options.supersede, id)
      }
      this.pending.set(id, { type: body.type, resolve, reject, cleanup, cancel })
      worker.ref()
      worker.postMessage({ ...body, id } as WorkerRequest, transfer)
    })
  }
}
