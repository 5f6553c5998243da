/**
 * Names in Redis. One task queue per model sha: a worker only listens on the queue of the model
 * it runs, so a task never reaches a worker with another model. BullMQ refuses ':' in custom job
 * ids (bar a legacy three-part form), so a task id is `<run>_<imageId>`.
 */
export const QUEUE_PREFIX = 'persam'

export function taskQueueName(modelSha: string): string {
  if (!/^[0-9a-f]{64}$/.test(modelSha)) throw new Error(`model sha "${modelSha}" is not a sha256 hex digest`)
  return `tasks-${modelSha.slice(0, 24)}`
}

export function taskJobId(run: string, imageId: number): string {
  return `${run}_${imageId}`
}

/** The image id a task id names, or null when it belongs to another run. */
export function imageIdOfTask(run: string, jobId: string | undefined): number | null {
  if (!jobId?.startsWith(`${run}_`)) return null
  const id = Number(jobId.slice(run.length + 1))
  return Number.isInteger(id) ? id : null
}

export const runSpecKey = (run: string): string => `${QUEUE_PREFIX}:run:${run}`
export const WORKER_KEY_PREFIX = `${QUEUE_PREFIX}:worker:`
