/**
 * The studio's queue mode: when queue settings exist, a propagation job runs on queue workers
 * (one image server per studio when the settings ask for one); otherwise the caller runs it in
 * process. Also lists the connected workers for the `queue:workers` channel.
 */
import { Redis } from 'ioredis'
import type { PropagationReport } from '../../../common/ipc/dto/job'
import type { JobContext } from '../jobs/jobManager'
import type { ActiveModel } from '../models/activeModel'
import type { PropagationEvents } from '../propagation/propagationJob'
import type { SamRuntime } from '../sam/samRuntime'
import type { Project, PropagationRun } from '../store'
import { runDistributedPropagationJob } from './distributedPropagationJob'
import { ImageServer } from './imageServer'
import { modelFingerprint } from './modelFingerprint'
import { readQueueSettings } from './queueSettings'
import { listWorkers, type WorkerStatus } from './workerRegistry'

let imageServer: { key: string; server: Promise<ImageServer> } | null = null
const fingerprints = new Map<string, Promise<string>>()

function sharedImageServer(host: string, port: number, publicUrl: string | undefined): Promise<ImageServer> {
  const key = `${host}:${port}:${publicUrl ?? ''}`
  if (imageServer?.key !== key) {
    const previous = imageServer?.server
    imageServer = { key, server: ImageServer.listen(host, port, publicUrl) }
    void previous?.then((server) => server.close()).catch(() => undefined)
  }
  return imageServer.server
}

/** Runs the job on queue workers when a queue is configured; null when it is not (run it in process). */
export async function runQueuedPropagationIfConfigured(
  dataDir: string,
  models: ActiveModel,
  project: Project,
  runtime: SamRuntime,
  job: PropagationRun,
  context: JobContext,
  events: PropagationEvents,
  log: (message: string) => void,
): Promise<PropagationReport | null> {
  const settings = await readQueueSettings(dataDir)
  if (!settings) return null
  const modelId = runtime.model.id
  let sha = fingerprints.get(modelId)
  if (!sha) {
    sha = models.manager.modelDir(modelId).then(async (dir) => (await modelFingerprint({ dir })).sha)
    sha.catch(() => fingerprints.delete(modelId))
    fingerprints.set(modelId, sha)
  }
  const server = settings.imageServer ? await sharedImageServer(settings.imageServer.host, settings.imageServer.port, settings.imageServer.publicUrl) : null
  return runDistributedPropagationJob(project, runtime, job, context, events, { url: settings.url, modelSha: await sha, imageServer: server, log })
}

/** The queue's state for the `queue:workers` channel: not configured (url null), its workers, or why Redis cannot be read. */
export async function queueStatus(dataDir: string): Promise<{ url: string | null; workers: WorkerStatus[]; problem: string | null }> {
  let url: string | null = null
  try {
    const settings = await readQueueSettings(dataDir)
    if (!settings) return { url: null, workers: [], problem: null }
    url = settings.url
    // One try, no retry queue: an unreachable Redis answers within the connect timeout.
    const redis = new Redis(settings.url, { maxRetriesPerRequest: 0, connectTimeout: 2000, lazyConnect: true, retryStrategy: () => null })
    redis.on('error', () => undefined)
    try {
      await redis.connect()
      return { url, workers: await listWorkers(redis), problem: null }
    } finally {
      redis.disconnect()
    }
  } catch (error) {
    return { url, workers: [], problem: error instanceof Error ? error.message : String(error) }
  }
}
