/**
 * A stored propagation job run on queue workers: the same store job, states and report as
 * runPropagationJob, but the target is prepared here once and each image is segmented by a
 * worker. The project store stays the only source of truth; this process its only writer.
 */
import { createHash } from 'node:crypto'
import type { PropagationReport } from '../../../common/ipc/dto/job'
import type { JobContext } from '../jobs/jobManager'
import { endRunAfterError, prepareRunTarget, startRun, type PropagationEvents } from '../propagation/propagationJob'
import type { SamRuntime } from '../sam/samRuntime'
import type { Project, PropagationRun } from '../store'
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
export function runKeyOf(project: Project, job: PropagationRun): string {
  return `r${createHash('sha256').update(project.dir).digest('hex').slice(0, 12)}-${job.id}-${job.createdAt}`
}

/** The store job as the coordinator's ledger. */
export function storeLedger(
  project: Project,
  job: PropagationRun,
  maxInstances: number,
  onRecorded: (imageId: number, created: ReturnType<Project['runs']['recordResult']>, failed: string | null) => void,
): RunLedger {
  let pendingIds: Set<number> | null = null
  return {
    // Each task carries the image's kept masks (as the in-process job gives its runner), read when
    // the task is enqueued; a decision made after that is still enforced by recordResult's
    // propagation rule and maxInstances when the result is stored.
    pending: () => {
      const images = project.runs.nextPending(job.id, Number.MAX_SAFE_INTEGER)
      pendingIds = new Set(images.map((image) => image.id))
      return images.map((image) => {
        const kept = project.runs.decisionsOn(image.id, job.categoryId).kept.flatMap(({ mask }) => (mask ? [{ ...mask, size: [...mask.size] as [number, number], bbox: [...mask.bbox] as [number, number, number, number] }] : []))
        return { imageId: image.id, file: project.absolutePath(image.relPath), imageKey: image.contentHash, ...(kept.length > 0 ? { keptMasks: kept } : {}) }
      })
    },
    pendingCount: () => project.runs.require(job.id).pending,
    // The run's pending images, read once (this ledger is their only writer while it runs), so
    // checking an arriving result does not scan every image of a large job.
    isPending: (imageId) => {
      pendingIds ??= new Set(project.runs.imageStates(job.id, { state: 'pending' }).map((entry) => entry.imageId))
      return pendingIds.has(imageId)
    },
    // Several results in one transaction: one disk sync for all of them.
    record: (outcomes) => {
      const created = project.transaction(() =>
        outcomes.map(({ imageId, outcome }) => project.runs.recordResult(job.id, imageId, 'error' in outcome ? { error: outcome.error } : { proposals: outcome.proposals, maxInstances })),
      )
      outcomes.forEach(({ imageId, outcome }, i) => {
        pendingIds?.delete(imageId)
        onRecorded(imageId, created[i]!, 'error' in outcome ? outcome.error : null)
      })
    },
  }
}

export async function runDistributedPropagationJob(
  project: Project,
  runtime: SamRuntime,
  job: PropagationRun,
  context: JobContext,
  events: PropagationEvents,
  options: DistributedOptions,
): Promise<PropagationReport> {
  const started = performance.now()
  const { params, references } = startRun(project, job)
  const run = runKeyOf(project, job)
  const failures: { where: string; message: string }[] = []
  let processed = 0
  let proposals = 0
  let absent = 0
  const jobImages = new Set(project.runs.imageStates(job.id).map((entry) => entry.imageId))
  const served = options.imageServer?.serve(run, (imageId) => (jobImages.has(imageId) ? project.absolutePath(project.images.require(imageId).relPath) : null))
  try {
    const runner = await prepareRunTarget(project, runtime, job, params, references, context.signal)
    // As in runPropagationJob: where nothing new may go (marked absent, or maxInstances kept),
    // only the earlier proposals are cleared; such images are never sent to a worker.
    for (const image of project.runs.nextPending(job.id, Number.MAX_SAFE_INTEGER)) {
      const decisions = project.runs.decisionsOn(image.id, job.categoryId)
      if (decisions.markedAbsent || decisions.kept.length >= params.maxInstances) {
        events.onProposals(project.runs.recordResult(job.id, image.id, { proposals: [], maxInstances: params.maxInstances }), image.id)
        processed++
        const current = project.runs.require(job.id)
        context.progress(current.total - current.pending, current.total)
      }
    }
    const images: ImageAccess = served && options.imageServer ? { kind: 'fetch', url: options.imageServer.url, token: served.token } : { kind: 'path' }
    const spec: RunSpec = {
      format: TASK_FORMAT,
      run,
      modelSha: options.modelSha,
      segment: { maxInstances: params.maxInstances, ...(params.absentThreshold !== undefined ? { absentThreshold: params.absentThreshold } : {}), ...(params.candidates !== undefined ? { candidates: params.candidates } : {}) },
      target: encodeTarget(runner.target),
      images,
    }
    const ledger = storeLedger(project, job, params.maxInstances, (imageId, created, error) => {
      processed++
      if (error !== null) failures.push({ where: project.images.get(imageId)?.relPath ?? `image ${imageId}`, message: error })
      else {
        absent += created.filter((annotation) => annotation.status === 'absent').length
        proposals += created.filter((annotation) => annotation.status !== 'absent').length
        events.onProposals(created, imageId)
      }
      const current = project.runs.require(job.id)
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
    endRunAfterError(project, job, context.signal, error)
    throw error
  } finally {
    served?.stop()
  }
  return { images: processed, proposals, absent, failed: failures, secondsPerImage: processed > 0 ? (performance.now() - started) / 1000 / processed : 0 }
}
