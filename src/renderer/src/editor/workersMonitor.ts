/**
 * The workers panel's logic: reads `queue:workers` (the workers' own heartbeats in Redis) on a
 * timer while the panel is open and turns it into rows. Throughput is measured, not guessed: the
 * growth of a worker's finished-image count between the heartbeats seen over a recent window, on
 * the worker's own clock (so a studio and a worker whose clocks differ still agree); before two
 * heartbeats are in the window, the worker's own last-minute rate.
 */
import type { QueueStatus, QueueWorkerInfo } from '../../../common/ipc/types'
import type { StudioApi } from './api'
import { describeError } from './api'

export type QueueState = 'checking' | 'not-configured' | 'connected' | 'unreachable'

export interface WorkerRow {
  readonly id: string
  readonly host: string
  readonly modelId: string
  /** The first 12 hex digits of the model's sha256. */
  readonly modelShaShort: string
  readonly provider: string
  readonly concurrency: number
  readonly done: number
  readonly failed: number
  readonly imagesPerSecond: number
  /** Seconds since the worker's latest heartbeat, by the studio's clock when the list was read. */
  readonly lastSeenSecondsAgo: number
}

export interface WorkersView {
  readonly state: QueueState
  readonly url: string | null
  readonly problem: string | null
  readonly workers: readonly WorkerRow[]
}

interface Sample {
  readonly at: number
  readonly done: number
}

/** Throughput is measured over the heartbeats of this recent window. */
export const THROUGHPUT_WINDOW_MS = 20_000
export const REFRESH_MS = 2_000

/** Images per second between the oldest and the newest heartbeat of the window; null with fewer than two. */
export function imagesPerSecond(samples: readonly Sample[]): number | null {
  if (samples.length < 2) return null
  const first = samples[0]!
  const last = samples[samples.length - 1]!
  if (last.at <= first.at) return null
  return Math.max(0, last.done - first.done) / ((last.at - first.at) / 1000)
}

export function queueStateOf(status: Pick<QueueStatus, 'url' | 'problem'>): QueueState {
  if (status.problem !== null) return 'unreachable'
  return status.url === null ? 'not-configured' : 'connected'
}

const CHECKING: WorkersView = { state: 'checking', url: null, problem: null, workers: [] }

export class WorkersMonitor {
  private current: WorkersView = CHECKING
  private readonly samples = new Map<string, Sample[]>()
  private readonly listeners = new Set<() => void>()
  private timer: ReturnType<typeof setInterval> | null = null
  private reading: Promise<void> | null = null

  constructor(private readonly api: Pick<StudioApi, 'call'>) {}

  /** Bound, so a view can hand it to a store hook as is. */
  readonly view = (): WorkersView => this.current

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Reads the queue now and every `everyMs` until stop(). */
  start(everyMs = REFRESH_MS): void {
    this.stop()
    void this.refresh()
    this.timer = setInterval(() => void this.refresh(), everyMs)
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  /** One read of `queue:workers` (a read already under way is shared, not doubled). */
  refresh(): Promise<void> {
    this.reading ??= this.read().finally(() => (this.reading = null))
    return this.reading
  }

  private async read(): Promise<void> {
    try {
      this.apply(await this.api.call('queue:workers', {}))
    } catch (error) {
      this.samples.clear()
      this.publish({ state: 'unreachable', url: this.current.url, problem: `the studio could not read the queue: ${describeError(error)}`, workers: [] })
    }
  }

  /** Folds one answer into the samples and the view (public for tests that feed answers). */
  apply(status: QueueStatus): void {
    const seen = new Set(status.workers.map((worker) => worker.id))
    // A worker whose heartbeat expired is gone; if it comes back, its rate starts afresh.
    for (const id of [...this.samples.keys()]) if (!seen.has(id)) this.samples.delete(id)
    const workers = status.workers.map((worker) => this.rowOf(worker, status.checkedAt))
    this.publish({ state: queueStateOf(status), url: status.url, problem: status.problem, workers })
  }

  private rowOf(worker: QueueWorkerInfo, checkedAt: number): WorkerRow {
    const samples = this.samples.get(worker.id) ?? []
    const last = samples[samples.length - 1]
    if (!last || worker.lastSeen > last.at) samples.push({ at: worker.lastSeen, done: worker.done + worker.failed })
    while (samples.length > 2 && samples[0]!.at < worker.lastSeen - THROUGHPUT_WINDOW_MS) samples.shift()
    this.samples.set(worker.id, samples)
    const measured = imagesPerSecond(samples)
    return {
      id: worker.id,
      host: worker.host,
      modelId: worker.modelId,
      modelShaShort: worker.modelSha.slice(0, 12),
      provider: worker.provider,
      concurrency: worker.concurrency,
      done: worker.done,
      failed: worker.failed,
      imagesPerSecond: measured ?? worker.imagesPerMinute / 60,
      lastSeenSecondsAgo: Math.max(0, Math.round((checkedAt - worker.lastSeen) / 1000)),
    }
  }

  private publish(view: WorkersView): void {
    this.current = view
    for (const listener of this.listeners) listener()
  }
}

/** "0.85 img/s", "—" when idle. */
export function formatThroughput(imagesPerSecond: number): string {
  if (imagesPerSecond <= 0) return '—'
  return `${imagesPerSecond >= 10 ? imagesPerSecond.toFixed(0) : imagesPerSecond.toFixed(2)} img/s`
}
