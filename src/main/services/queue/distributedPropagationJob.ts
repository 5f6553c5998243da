/**
 * A stored propagation job run on queue workers: the same store job, states and report as
 * runPropagationJob, but the target is prepared here once and each image is segmented by a
 * worker. The project store stays the only source of truth; this process its only writer.
 */
import { createHash } from 'node:crypto'
import type { PropagationReport } from '../../../common/ipc/dto/job'
import { StudioError } from '../../../common/ipc/result'
import type { JobContext } from '../jobs/jobManager'
import { referencesOf, type PropagationEvents, type PropagationParams } from '../propagation/propagationJob'
import { PropagationRunner } from '../propagation/propagationRunner'
import type { SamRuntime } from '../sam/samRuntime'
import { binaryOfStored, type Job, type Project } from '../store'
import type { ImageServer } from './imageServer'
import { QueueCoordinator, type RunLedger } from './queueCoordinator'
import { encodeTarget, TASK_FORMAT, type ImageAccess, type RunSpec } from './taskCodec'

export interface DistributedOptions {
  readonly url: string
  readonly modelSha: string
  /** Serve images to workers over HTTP; without it workers read the files (shared storage). */
  readonly imageServer?: ImageServer | null
  readonly attempts?: number
  readonly idleReconcileMs?: number
  readonly log?: (message: string) => void
}

/** A run's name in Redis: stable across studio restarts (so a resume finds its tasks), unique per project. */
export function runKeyOf(project: Project, job: Job): string {
  return `r${createHash('sha256').update(project.dir).digest('hex').slice(0, 12)}-${job.id}-${job.createdAt}`
}

/** The store job as the coordinator's ledger. */
export function storeLedger(project: Project, job: Job, onRecorded: (imageId: number, created: ReturnType<Project['jobs']['recordResult']>, failed: string | null) => void): RunLedger {
  return {
    // CHANGE POINT (jobs.ts rename): project.jobs → the propagation runs repository.
    pending: () => project.jobs.nextPending(job.id, Number.MAX_SAFE_INTEGER).map((image) => ({ imageId: image.id, file: project.absolutePath(image.relPath), imageKey: image.contentHash })),
    pendingCount: () => project.jobs.require(job.id).pending,
    isPending: (imageId) => project.jobs.imageStates(job.id, { state: 'pending' }).some((entry) => entry.imageId === imageId),
    record: (imageId, outcome) => {
      const created = project.jobs.recordResult(job.id, imageId, 'error' in outcome ? { error: outcome.error } : { proposals: outcome.proposals })
      onRecorded(imageId, created, 'error' in outcome ? outcome.error : null)
    },
  }
}

export async function runDistributedPropagationJob(
  project: Project,
  runtime: SamRuntime,
  job: Job,
  context: JobContext,
  events: PropagationEvents,
  options: DistributedOptions,
): Promise<PropagationReport> {
  const started = performance.now()
  project.jobs.start(job.id)
  const params = job.params as PropagationParams
  const references = referencesOf(project, job.categoryId)
  if (references.length === 0) {
    project.jobs.fail(job.id, 'the category has no reference mask')
    throw new StudioError('invalid-input', 'the category has no reference mask: mark the object and use it as reference first')
  }
  const run = runKeyOf(project, job)
  const failures: { where: string; message: string }[] = []
  let processed = 0
  let proposals = 0
  let absent = 0
  const jobImages = new Set(project.jobs.imageStates(job.id).map((entry) => entry.imageId))
  const served = options.imageServer?.serve(run, (imageId) => (jobImages.has(imageId) ? project.absolutePath(project.images.require(imageId).relPath) : null))
  try {
    const runner = await PropagationRunner.prepare(
      runtime,
      references.map((annotation) => {
        const image = project.images.require(annotation.imageId)
        return { file: project.absolutePath(image.relPath), imageKey: image.contentHash, mask: binaryOfStored(annotation.mask!) }
      }),
      // CHANGE POINT (jobs.ts rename): job.kind → job.method.
      { method: job.kind, maxInstances: params.maxInstances, absentThreshold: params.absentThreshold, candidates: params.candidates, signal: context.signal },
    )
    const images: ImageAccess = served && options.imageServer ? { kind: 'fetch', url: options.imageServer.url, token: served.token } : { kind: 'path' }
    const spec: RunSpec = {
      format: TASK_FORMAT,
      run,
      modelSha: options.modelSha,
      segment: { maxInstances: params.maxInstances, ...(params.absentThreshold !== undefined ? { absentThreshold: params.absentThreshold } : {}), ...(params.candidates !== undefined ? { candidates: params.candidates } : {}) },
      target: encodeTarget(runner.target),
      images,
    }
    const ledger = storeLedger(project, job, (imageId, created, error) => {
      processed++
      if (error !== null) failures.push({ where: project.images.get(imageId)?.relPath ?? `image ${imageId}`, message: error })
      else if (created.some((annotation) => annotation.status === 'absent')) absent++
      else proposals += created.length
      if (created.length > 0) events.onProposals(created)
      const current = project.jobs.require(job.id)
      context.progress(current.total - current.pending, current.total)
    })
    await new QueueCoordinator({
      url: options.url,
      spec,
      ledger,
      signal: context.signal,
      // A quit leaves the tasks queued: the resumed run records what the workers finished meanwhile.
      keepTasksOnAbort: (reason) => reason === 'shutdown',
      ...(options.attempts !== undefined ? { attempts: options.attempts } : {}),
      ...(options.idleReconcileMs !== undefined ? { idleReconcileMs: options.idleReconcileMs } : {}),
      ...(options.log ? { log: options.log } : {}),
    }).run()
  } catch (error) {
    const current = project.jobs.get(job.id)
    if (context.signal.aborted) {
      if (current && current.state === 'running' && context.signal.reason !== 'shutdown') project.jobs.cancel(job.id)
    } else if (current && current.state === 'running') {
      project.jobs.fail(job.id, error instanceof Error ? error.message : String(error))
    }
    throw error
  } finally {
    served?.stop()
  }
  return { images: processed, proposals, absent, failed: failures, secondsPerImage: processed > 0 ? (performance.now() - started) / 1000 / processed : 0 }
}
