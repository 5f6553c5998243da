/** Queue workers as the studio shows them (propagation on other machines). */
export interface QueueWorkerInfo {
  readonly id: string
  readonly host: string
  readonly modelId: string
  /** SHA-256 over the model's files: a worker only takes tasks for the model it runs. */
  readonly modelSha: string
  /** The execution provider the worker's encoder runs on (cuda, dml, coreml, cpu). */
  readonly provider: string
  readonly concurrency: number
  readonly done: number
  readonly failed: number
  /** Images the worker finished over its last minute (its own count, sent with each heartbeat). */
  readonly imagesPerMinute: number
  /** The worker's clock at its latest heartbeat (ms since the epoch). */
  readonly lastSeen: number
}

export interface QueueStatus {
  /** The configured queue (queue.json or PERSAM_QUEUE_URL), or null: propagation runs in process. */
  readonly url: string | null
  readonly workers: readonly QueueWorkerInfo[]
  /** Why the queue could not be read (Redis down, a bad queue.json), or null. */
  readonly problem: string | null
  /** The studio's clock when the list was read, to tell how long ago each worker was seen. */
  readonly checkedAt: number
}
