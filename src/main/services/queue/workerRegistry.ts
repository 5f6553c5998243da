/**
 * Workers announce themselves in a Redis hash per worker that expires unless refreshed (a
 * heartbeat): what model (id and sha) and provider they run, and how much they did. A killed
 * worker disappears from the list after the TTL.
 */
import type { Redis } from 'ioredis'
import type { QueueWorkerInfo } from '../../../common/ipc/dto/queue'
import { WORKER_KEY_PREFIX } from './queueNames'

/** What a worker says of itself when it starts: the fields of QueueWorkerInfo that never change. */
export type WorkerAnnouncement = Pick<QueueWorkerInfo, 'id' | 'host' | 'modelId' | 'modelSha' | 'provider' | 'concurrency'>

export interface WorkerStatus extends WorkerAnnouncement {
  readonly done: number
  readonly failed: number
  /** Images finished over the last minute (or since the worker started, when younger). */
  readonly imagesPerMinute: number
  readonly startedAt: number
  readonly lastSeen: number
}

export const HEARTBEAT_TTL_SECONDS = 15

/** Keeps a worker's hash alive and its counters current until stopped. */
export class WorkerHeartbeat {
  private done = 0
  private failed = 0
  private readonly recent: number[] = []
  private readonly startedAt = Date.now()
  private timer: NodeJS.Timeout | null = null

  constructor(
    private readonly redis: Redis,
    private readonly announcement: WorkerAnnouncement,
    private readonly intervalMs = 5000,
  ) {}

  start(): Promise<void> {
    this.timer = setInterval(() => void this.beat().catch(() => undefined), this.intervalMs)
    this.timer.unref()
    return this.beat()
  }

  finished(ok: boolean): void {
    if (ok) this.done++
    else this.failed++
    this.recent.push(Date.now())
    // Beat now, so the studio's counts follow the work rather than the heartbeat period.
    void this.beat().catch(() => undefined)
  }

  private rate(now: number): number {
    while (this.recent.length > 0 && this.recent[0]! < now - 60_000) this.recent.shift()
    const windowMs = Math.min(60_000, Math.max(1000, now - this.startedAt))
    return (this.recent.length * 60_000) / windowMs
  }

  async beat(): Promise<void> {
    const now = Date.now()
    const key = WORKER_KEY_PREFIX + this.announcement.id
    await this.redis
      .multi()
      .hset(key, { ...this.announcement, done: this.done, failed: this.failed, imagesPerMinute: this.rate(now).toFixed(2), startedAt: this.startedAt, lastSeen: now })
      .expire(key, HEARTBEAT_TTL_SECONDS)
      .exec()
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    await this.redis.del(WORKER_KEY_PREFIX + this.announcement.id).catch(() => undefined)
  }
}

/** The workers whose heartbeat is current, by id. */
export async function listWorkers(redis: Redis): Promise<WorkerStatus[]> {
  const keys: string[] = []
  let cursor = '0'
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${WORKER_KEY_PREFIX}*`, 'COUNT', 200)
    cursor = next
    keys.push(...batch)
  } while (cursor !== '0')
  const workers: WorkerStatus[] = []
  for (const key of keys.sort()) {
    const h = await redis.hgetall(key)
    if (!h.id) continue
    workers.push({
      id: h.id,
      host: h.host ?? '',
      modelId: h.modelId ?? '',
      modelSha: h.modelSha ?? '',
      provider: h.provider ?? '',
      concurrency: Number(h.concurrency ?? 1),
      done: Number(h.done ?? 0),
      failed: Number(h.failed ?? 0),
      imagesPerMinute: Number(h.imagesPerMinute ?? 0),
      startedAt: Number(h.startedAt ?? 0),
      lastSeen: Number(h.lastSeen ?? 0),
    })
  }
  return workers
}
