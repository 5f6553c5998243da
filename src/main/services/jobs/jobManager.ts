/**
 * Background jobs (propagation, import, export, model installs): each runs as a promise with an
 * AbortSignal and reports progress; the manager turns reports into JobInfo snapshots with a rate
 * over the recent window, an ETA and a revision, and pushes them to listeners (throttled, except
 * the first and the final report). At most one job per exclusive key runs at a time.
 */
import type { JobInfo, JobKind } from '../../../common/ipc/dto/job'
import { StudioError } from '../../../common/ipc/result'

/** Why a job's signal aborted: the user cancelled it, or the studio is shutting down (resumable work should stay resumable). */
export type AbortReason = 'cancelled' | 'shutdown'

export interface JobContext {
  /** Aborts with an AbortReason. */
  readonly signal: AbortSignal
  /** Reports progress; `total` may change as work is discovered. */
  progress(done: number, total?: number): void
}

export interface StartJob<R> {
  readonly kind: JobKind
  readonly label: string
  readonly total: number
  /** Another job with the same key must finish first (e.g. one propagation per project). */
  readonly exclusiveKey?: string
  /** The job's work; its resolved value becomes the report. */
  readonly run: (context: JobContext) => Promise<R>
}

interface Entry {
  info: JobInfo
  readonly controller: AbortController
  readonly samples: { time: number; done: number }[]
  readonly exclusiveKey: string | undefined
  readonly finished: Promise<JobInfo>
  lastEmit: number
}

const RATE_WINDOW_MS = 10_000
const EMIT_INTERVAL_MS = 200
const KEEP_FINISHED = 50

export type JobListener = (job: JobInfo) => void

export class JobManager {
  private readonly jobs = new Map<string, Entry>()
  private nextId = 1

  constructor(
    private readonly listener: JobListener,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Throws a 'conflict' StudioError while a job with this exclusive key runs. */
  assertIdle(exclusiveKey: string): void {
    const running = [...this.jobs.values()].find((e) => e.exclusiveKey === exclusiveKey && isActive(e.info))
    if (running) throw new StudioError('conflict', `"${running.info.label}" is still running; cancel it or wait for it to finish`)
  }

  start<R extends Record<string, unknown> | null>(request: StartJob<R>): JobInfo {
    if (request.exclusiveKey) this.assertIdle(request.exclusiveKey)
    const id = `job-${this.nextId++}`
    const controller = new AbortController()
    const now = this.clock()
    const info: JobInfo = {
      id,
      kind: request.kind,
      state: 'running',
      revision: 0,
      label: request.label,
      done: 0,
      total: request.total,
      rate: 0,
      etaSeconds: null,
      startedAt: new Date(now).toISOString(),
      finishedAt: null,
      error: null,
      report: null,
    }
    let resolveFinished!: (job: JobInfo) => void
    const finished = new Promise<JobInfo>((resolve) => (resolveFinished = resolve))
    const entry: Entry = { info, controller, samples: [{ time: now, done: 0 }], exclusiveKey: request.exclusiveKey, finished, lastEmit: 0 }
    this.jobs.set(id, entry)
    this.emit(entry, true)
    const context: JobContext = {
      signal: controller.signal,
      progress: (done, total) => this.progress(entry, done, total),
    }
    // Started on the next tick so the caller gets the JobInfo before any progress event.
    setImmediate(() => {
      request
        .run(context)
        .then(
          (report) => this.finish(entry, controller.signal.aborted ? 'cancelled' : 'done', report, null),
          (error: unknown) => {
            const cancelled = controller.signal.aborted
            const data = error instanceof StudioError ? error.toData() : { code: 'internal', message: error instanceof Error ? error.message : String(error) }
            this.finish(entry, cancelled ? 'cancelled' : 'failed', null, cancelled ? null : data)
          },
        )
        .finally(() => resolveFinished(entry.info))
    })
    return entry.info
  }

  cancel(id: string): JobInfo {
    const entry = this.jobs.get(id)
    if (!entry) throw new StudioError('not-found', `no job ${id}`)
    if (isActive(entry.info)) entry.controller.abort('cancelled' satisfies AbortReason)
    return entry.info
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((entry) => entry.info)
  }

  get(id: string): JobInfo | null {
    return this.jobs.get(id)?.info ?? null
  }

  /** Resolves with the final JobInfo. */
  async wait(id: string): Promise<JobInfo> {
    const entry = this.jobs.get(id)
    if (!entry) throw new StudioError('not-found', `no job ${id}`)
    return entry.finished
  }

  /** Cancels everything still running and waits for it to stop. */
  async shutdown(): Promise<void> {
    const active = [...this.jobs.values()].filter((entry) => isActive(entry.info))
    for (const entry of active) entry.controller.abort('shutdown' satisfies AbortReason)
    await Promise.all(active.map((entry) => entry.finished))
  }

  private progress(entry: Entry, done: number, total?: number): void {
    if (!isActive(entry.info)) return
    const now = this.clock()
    entry.samples.push({ time: now, done })
    while (entry.samples.length > 2 && now - entry.samples[0]!.time > RATE_WINDOW_MS) entry.samples.shift()
    const first = entry.samples[0]!
    const seconds = (now - first.time) / 1000
    const rate = seconds > 0 ? (done - first.done) / seconds : 0
    const newTotal = total ?? entry.info.total
    entry.info = { ...entry.info, done, total: newTotal, rate, etaSeconds: rate > 0 ? Math.max(0, (newTotal - done) / rate) : null }
    this.emit(entry, false)
  }

  private finish(entry: Entry, state: JobInfo['state'], report: Record<string, unknown> | null, error: JobInfo['error']): void {
    entry.info = {
      ...entry.info,
      state,
      done: state === 'done' ? Math.max(entry.info.done, entry.info.total) : entry.info.done,
      etaSeconds: state === 'done' ? 0 : null,
      finishedAt: new Date(this.clock()).toISOString(),
      error,
      report,
    }
    this.emit(entry, true)
    this.forgetOldFinished()
  }

  private emit(entry: Entry, force: boolean): void {
    const now = this.clock()
    if (!force && now - entry.lastEmit < EMIT_INTERVAL_MS) return
    entry.lastEmit = now
    entry.info = { ...entry.info, revision: entry.info.revision + 1 }
    this.listener(entry.info)
  }

  private forgetOldFinished(): void {
    const finished = [...this.jobs.values()].filter((entry) => !isActive(entry.info))
    for (const entry of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(entry.info.id)
  }
}

function isActive(job: JobInfo): boolean {
  return job.state === 'running' || job.state === 'queued'
}
