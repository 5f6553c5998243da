/**
 * The studio's side of a distributed run. It stores the run spec (the prepared target, once per
 * run) under a Redis key, enqueues one task per pending image (job id `<run>_<image>`, so
 * enqueueing twice is a no-op) and records each result as it arrives: a QueueEvents listener for
 * speed (a completed event carries the result, so recording it costs no read), and a
 * reconciliation pass (at start, after every reconnect, and when no event came for a while) that
 * walks what the ledger still lists as pending: a finished task is recorded, a missing one (lost
 * in a Redis restart) re-enqueued. Results that arrive while the ledger is writing are recorded
 * together, in one store transaction (one disk sync instead of one per image). The ledger (the
 * project store) is the only source of truth and this class its only writer; a result for an
 * image that is no longer pending is ignored.
 */
import { Queue, QueueEvents } from 'bullmq'
import { Redis } from 'ioredis'
import { imageIdOfTask, runSpecKey, taskJobId, taskQueueName } from './queueNames'
import { parseTaskResult, type ImageTask, type RunSpec, type TaskResult } from './taskCodec'

export type ImageOutcome = TaskResult | { readonly error: string }

export interface RunLedger {
  /** Every image still pending, in order. */
  pending(): readonly Omit<ImageTask, 'run'>[]
  pendingCount(): number
  isPending(imageId: number): boolean
  /** Stores images' outcomes (proposals, or the failure's reason), all or none. */
  record(outcomes: readonly RecordedOutcome[]): void
}

export interface RecordedOutcome {
  readonly imageId: number
  readonly outcome: ImageOutcome
}

/** Tasks whose state is read per round trip batch in a reconciliation pass. */
const RECONCILE_CHUNK = 100

export interface CoordinatorOptions {
  readonly url: string
  readonly spec: RunSpec
  readonly ledger: RunLedger
  readonly signal?: AbortSignal
  /** Tries per image before it is marked failed (default 3). */
  readonly attempts?: number
  /** A reconciliation pass runs when no event arrived for this long (default 5 s). */
  readonly idleReconcileMs?: number
  /** Leave the run's tasks queued on this abort reason (a quit: the resumed run records them). */
  readonly keepTasksOnAbort?: (reason: unknown) => boolean
  readonly onRecorded?: (imageId: number, outcome: ImageOutcome) => void
  readonly log?: (message: string) => void
}

export class QueueCoordinator {
  private readonly connection: Redis
  private readonly queue: Queue
  private readonly events: QueueEvents
  private readonly eventsConnection: Redis
  private chain: Promise<void> = Promise.resolve()
  private lastEvent = Date.now()
  /** Finished tasks announced by events, not yet recorded: the result when the event carried it. */
  private arrived = new Map<number, ImageOutcome | null>()
  private finish: (() => void) | null = null
  private fail: ((error: unknown) => void) | null = null
  /** Recorded results (for the benchmark's coordinator cost). */
  recorded = 0

  constructor(private readonly options: CoordinatorOptions) {
    this.connection = new Redis(options.url, { maxRetriesPerRequest: null })
    const name = taskQueueName(options.spec.modelSha)
    this.queue = new Queue(name, { connection: this.connection })
    this.eventsConnection = new Redis(options.url, { maxRetriesPerRequest: null })
    // Connection errors are expected while Redis restarts; ioredis reconnects on its own.
    this.eventsConnection.on('error', () => undefined)
    this.events = new QueueEvents(name, { connection: this.eventsConnection })
  }

  /** Runs until no image is pending (resolves) or the signal aborts (the run's tasks are removed). */
  async run(): Promise<void> {
    const { spec, signal } = this.options
    const done = new Promise<void>((resolve, reject) => {
      this.finish = resolve
      this.fail = reject
    })
    const onTask = (jobId: string, result: ImageOutcome | null) => {
      this.lastEvent = Date.now()
      const imageId = imageIdOfTask(spec.run, jobId)
      if (imageId === null) return
      this.arrived.set(imageId, result)
      this.serially(() => this.recordArrived())
    }
    this.events.on('completed', ({ jobId, returnvalue }) => onTask(jobId, completedResult(returnvalue, jobId)))
    // A failure event may be an attempt that will be retried: the task's state decides.
    this.events.on('failed', ({ jobId }) => onTask(jobId, null))
    this.events.on('error', (error) => this.options.log?.(`queue events: ${error.message}`))
    this.connection.on('error', (error: Error) => this.options.log?.(`redis: ${error.message}`))
    this.queue.on('error', (error) => this.options.log?.(`queue: ${error.message}`))
    // After a reconnect (a Redis restart loses everything), re-send the spec and re-enqueue.
    this.connection.on('ready', () => this.serially(() => this.reconcile()))
    const idleMs = this.options.idleReconcileMs ?? 5000
    const idle = setInterval(() => {
      if (Date.now() - this.lastEvent >= idleMs) this.serially(() => this.reconcile())
    }, Math.max(100, idleMs / 2))
    const abort = () => this.serially(() => this.cancel())
    signal?.addEventListener('abort', abort, { once: true })
    try {
      await this.events.waitUntilReady()
      this.serially(() => this.reconcile())
      await done
    } finally {
      clearInterval(idle)
      signal?.removeEventListener('abort', abort)
      await this.close()
    }
  }

  /** Work on the store and Redis one step at a time, so a result is never recorded twice. */
  private serially(step: () => Promise<void>): void {
    this.chain = this.chain
      .then(async () => {
        if (this.finish === null) return
        await step()
        if (this.finish !== null && this.options.ledger.pendingCount() === 0) this.end()
      })
      .catch((error: unknown) => {
        // Redis errors are transient (the next reconcile retries); the store's are not.
        if (isRedisError(error)) this.options.log?.(`queue: ${error instanceof Error ? error.message : String(error)}`)
        else {
          this.options.log?.(`queue coordinator stops: ${error instanceof Error ? error.stack : String(error)}`)
          this.end(error)
        }
      })
  }

  private end(error?: unknown): void {
    const [finish, fail] = [this.finish, this.fail]
    this.finish = this.fail = null
    if (error === undefined) finish?.()
    else fail?.(error)
  }

  private async reconcile(): Promise<void> {
    const { spec, ledger } = this.options
    if (this.options.signal?.aborted) return
    this.lastEvent = Date.now()
    const pending = ledger.pending()
    if (pending.length === 0) return
    await this.connection.set(runSpecKey(spec.run), JSON.stringify(spec))
    const missing: Omit<ImageTask, 'run'>[] = []
    for (let start = 0; start < pending.length; start += RECONCILE_CHUNK) {
      const chunk = pending.slice(start, start + RECONCILE_CHUNK)
      const states = await this.settle(chunk.map((image) => image.imageId))
      chunk.forEach((image, i) => states[i] === 'unknown' && missing.push(image))
    }
    if (missing.length === 0) return
    const attempts = this.options.attempts ?? 3
    await this.queue.addBulk(
      missing.map((image) => ({
        name: 'segment',
        data: { run: spec.run, ...image },
        opts: { jobId: taskJobId(spec.run, image.imageId), attempts, backoff: { type: 'fixed', delay: 200 }, removeOnComplete: false, removeOnFail: false },
      })),
    )
  }

  /** Records what the events announced: their results as they are, the rest read from their tasks. */
  private async recordArrived(): Promise<void> {
    if (this.arrived.size === 0) return
    const arrived = this.arrived
    this.arrived = new Map()
    const known: RecordedOutcome[] = []
    const unread: number[] = []
    for (const [imageId, result] of arrived) {
      if (result) known.push({ imageId, outcome: result })
      else unread.push(imageId)
    }
    await this.recordAndRemove(known)
    if (unread.length > 0) await this.settle(unread)
  }

  /** Records the finished tasks (result or final failure) of pending images; returns each task's state. */
  private async settle(imageIds: readonly number[]): Promise<string[]> {
    const { spec } = this.options
    const jobs = await Promise.all(imageIds.map((imageId) => this.queue.getJob(taskJobId(spec.run, imageId))))
    const states = await Promise.all(jobs.map((job) => (job ? job.getState() : Promise.resolve('unknown'))))
    const finished: RecordedOutcome[] = []
    imageIds.forEach((imageId, i) => {
      const job = jobs[i]
      if (!job || (states[i] !== 'completed' && states[i] !== 'failed')) return
      const outcome = states[i] === 'completed' ? completedResult(job.returnvalue, job.id ?? imageId) : { error: job.failedReason || 'the task failed without a reason' }
      finished.push({ imageId, outcome })
    })
    await this.recordAndRemove(finished)
    return states
  }

  /** Stores the outcomes of images still pending in one ledger write, then drops their tasks. */
  private async recordAndRemove(finished: readonly RecordedOutcome[]): Promise<void> {
    if (finished.length === 0) return
    const { spec, ledger } = this.options
    const fresh = finished.filter(({ imageId }) => ledger.isPending(imageId))
    if (fresh.length > 0) {
      ledger.record(fresh)
      this.recorded += fresh.length
      for (const { imageId, outcome } of fresh) this.options.onRecorded?.(imageId, outcome)
    }
    // Recorded (now or by an earlier delivery): the tasks have served their purpose.
    await Promise.all(finished.map(({ imageId }) => this.queue.remove(taskJobId(spec.run, imageId)).catch(() => 0)))
  }

  /** A cancel: the run's waiting tasks go; a task a worker holds finishes and is ignored. */
  private async cancel(): Promise<void> {
    const { spec, ledger, signal } = this.options
    if (this.options.keepTasksOnAbort?.(signal?.reason)) return this.end(Object.assign(new Error('propagation stopped'), { name: 'AbortError' }))
    for (const image of ledger.pending()) await this.queue.remove(taskJobId(spec.run, image.imageId)).catch(() => 0)
    await this.connection.del(runSpecKey(spec.run))
    this.end(Object.assign(new Error('propagation cancelled'), { name: 'AbortError' }))
  }

  private async close(): Promise<void> {
    if (this.options.ledger.pendingCount() === 0) await this.connection.del(runSpecKey(this.options.spec.run)).catch(() => undefined)
    await this.events.close().catch(() => undefined)
    await this.queue.close().catch(() => undefined)
    // BullMQ leaves connections it was given open: close ours, or the process cannot exit.
    this.eventsConnection.disconnect()
    this.connection.disconnect()
  }
}

/** A completed task's result, validated; an invalid one as the failure it is. */
function completedResult(value: unknown, jobId: string | number): ImageOutcome {
  try {
    return parseTaskResult(value, `result of task ${jobId}`)
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) }
  }
}

function isRedisError(error: unknown): boolean {
  const name = error instanceof Error ? error.name : ''
  const message = error instanceof Error ? error.message : ''
  return name === 'ReplyError' || name === 'MaxRetriesPerRequestError' || /Connection is closed|ECONNREFUSED|ECONNRESET|LOADING|READONLY/.test(message)
}
