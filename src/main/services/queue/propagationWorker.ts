/**
 * A queue worker: takes per-image tasks from its model's task queue, encodes with its own
 * runtime (and embedding cache), segments with the run's prepared target and returns the
 * proposals as the job's return value. It never touches a project: the studio records results.
 */
import { hostname } from 'node:os'
import { Worker, type Job } from 'bullmq'
import { Redis } from 'ioredis'
import { decodeTarget, parseRunSpec, parseTask, type RunSpec, type TaskResult } from './taskCodec'
import type { PersamMethod, PreparedTarget } from '../../../common/persam/target'
import { runProposalsOf, segmentOptionsOf, segmentPreparedImage } from '../propagation/imageProposals'
import { binaryOfStored } from '../store'
import type { SamRuntime } from '../sam/samRuntime'
import { localImage, type PathMapping } from './imageAccess'
import { runSpecKey, taskQueueName } from './queueNames'
import { WorkerHeartbeat } from './workerRegistry'

export interface PropagationWorkerOptions {
  readonly url: string
  readonly runtime: SamRuntime
  readonly model: { readonly id: string; readonly sha: string }
  readonly provider: string
  readonly concurrency?: number
  readonly mappings?: readonly PathMapping[]
  /** Short in tests, so a killed worker's task is re-delivered quickly. */
  readonly lockDurationMs?: number
  readonly stalledIntervalMs?: number
  readonly heartbeatMs?: number
  readonly log?: (message: string) => void
}

interface PreparedRun {
  readonly spec: RunSpec
  readonly target: PreparedTarget
}

/** Runs whose target this worker holds; a few at most, the newest kept. */
const MAX_RUNS = 8
/** A killed worker's task is re-delivered, not failed, for this many stalls. */
const MAX_STALLS = 20

export class PropagationWorker {
  private readonly runs = new Map<string, Promise<PreparedRun>>()

  private constructor(
    private readonly worker: Worker,
    private readonly heartbeat: WorkerHeartbeat,
    private readonly redis: Redis,
    readonly id: string,
  ) {}

  static async start(options: PropagationWorkerOptions): Promise<PropagationWorker> {
    const id = `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`
    const redis = new Redis(options.url, { maxRetriesPerRequest: null })
    const concurrency = options.concurrency ?? 1
    const heartbeat = new WorkerHeartbeat(
      redis,
      { id, host: hostname(), modelId: options.model.id, modelSha: options.model.sha, provider: options.provider, concurrency },
      options.heartbeatMs,
    )
    let self: PropagationWorker | null = null
    const worker = new Worker(taskQueueName(options.model.sha), (job: Job) => self!.process(job, options), {
      connection: redis,
      concurrency,
      autorun: false,
      maxStalledCount: MAX_STALLS,
      ...(options.lockDurationMs ? { lockDuration: options.lockDurationMs } : {}),
      ...(options.stalledIntervalMs ? { stalledInterval: options.stalledIntervalMs } : {}),
    })
    self = new PropagationWorker(worker, heartbeat, redis, id)
    worker.on('completed', () => heartbeat.finished(true))
    worker.on('failed', (job, error) => {
      heartbeat.finished(false)
      options.log?.(`task ${job?.id ?? '?'} failed: ${error.message}`)
    })
    worker.on('error', (error) => options.log?.(`queue: ${error.message}`))
    await heartbeat.start()
    void worker.run()
    return self
  }

  private async process(job: Job, options: PropagationWorkerOptions): Promise<TaskResult> {
    const receivedAt = Date.now()
    const task = parseTask(job.data, `task ${job.id}`)
    const { spec, target } = await this.prepared(task.run)
    if (spec.modelSha !== options.model.sha) throw new Error(`task ${job.id} needs model ${spec.modelSha}, this worker runs ${options.model.sha}`)
    const start = performance.now()
    const image = await localImage(task, spec.images, options.mappings ?? [])
    try {
      const segment = segmentOptionsOf(spec.segment)
      // The same information the in-process job gives its runner: the image's kept masks.
      const keptMasks = task.keptMasks?.map(binaryOfStored)
      const segmented = await segmentPreparedImage(options.runtime, target, { file: image.file, imageKey: task.imageKey }, keptMasks ? { ...segment, keptMasks } : segment)
      const proposals = runProposalsOf(target.method as PersamMethod, segmented.result, segmented.masks)
      return { proposals, width: segmented.width, height: segmented.height, worker: this.id, computeMs: performance.now() - start, receivedAt, returnedAt: Date.now() }
    } finally {
      await image.release()
    }
  }

  /** The run's spec and decoded target, read from Redis once per run. */
  private prepared(run: string): Promise<PreparedRun> {
    let entry = this.runs.get(run)
    if (!entry) {
      entry = (async () => {
        const text = await this.redis.get(runSpecKey(run))
        if (text === null) throw new Error(`run ${run}: no run spec in Redis (cancelled, or the studio has not re-sent it yet)`)
        const spec = parseRunSpec(text, `run ${run}`)
        return { spec, target: decodeTarget(spec.target) }
      })()
      // A failed read is not cached: the studio re-sends the spec after a Redis restart.
      entry.catch(() => this.runs.delete(run))
      this.runs.set(run, entry)
      if (this.runs.size > MAX_RUNS) this.runs.delete(this.runs.keys().next().value!)
    }
    return entry
  }

  async close(): Promise<void> {
    await this.worker.close()
    await this.heartbeat.stop()
    this.redis.disconnect()
  }
}
