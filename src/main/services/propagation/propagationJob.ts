/**
 * Propagation as a project job: the references of a category, the images in scope, one PerSAM run
 * whose results are stored image by image (each image's proposals and its done state in one
 * transaction), so the review can start while it runs and a crash or a quit loses nothing: the
 * job resumes from its pending images.
 */
import type { PropagationReport } from '../../../common/ipc/dto/job'
import { StudioError } from '../../../common/ipc/result'
import type { JobContext } from '../jobs/jobManager'
import type { SamRuntime } from '../sam/samRuntime'
import { binaryOfStored, type Annotation, type ImageState, type Job, type Project } from '../store'
import { jobProposalsOf } from './imageProposals'
import { PropagationRunner } from './propagationRunner'

export type PropagationScope = 'unlabeled' | 'not-reviewed' | 'all' | { readonly imageIds: readonly number[] }

export interface PropagationParams {
  readonly maxInstances: number
  readonly absentThreshold?: number
  readonly candidates?: number
}

const BATCH = 8

/** Image ids the scope covers for a category, in name order, minus the references' images and `exclude`. */
export function imagesInScope(project: Project, categoryId: number, scope: PropagationScope, exclude: readonly number[] = []): number[] {
  const skip = new Set(exclude)
  const referenceSet = project.references.defaultSet(categoryId)
  for (const reference of project.references.members(referenceSet.id)) skip.add(reference.imageId)
  if (typeof scope === 'object') {
    for (const id of scope.imageIds) project.images.require(id)
    return scope.imageIds.filter((id) => !skip.has(id))
  }
  const states: readonly (ImageState | undefined)[] = scope === 'all' ? [undefined] : scope === 'unlabeled' ? ['unlabeled'] : ['unlabeled', 'to-review']
  const ids = new Set<number>()
  for (const state of states) {
    for (let offset = 0; ; offset += 1000) {
      const page = project.images.page({ offset, limit: 1000, state, categoryId, order: 'name' })
      for (const item of page.items) if (!skip.has(item.id)) ids.add(item.id)
      if (page.items.length < 1000) break
    }
  }
  return [...ids]
}

export function referencesOf(project: Project, categoryId: number): Annotation[] {
  const set = project.references.defaultSet(categoryId)
  return project.references.members(set.id).filter((annotation) => annotation.mask !== null)
}

export interface PropagationEvents {
  onProposals(annotations: readonly Annotation[]): void
}

/** Runs (or resumes) stored job `jobId` until no image is pending, the signal aborts, or it fails. */
export async function runPropagationJob(
  project: Project,
  runtime: SamRuntime,
  job: Job,
  context: JobContext,
  events: PropagationEvents,
): Promise<PropagationReport> {
  const started = performance.now()
  project.jobs.start(job.id)
  const params = job.params as PropagationParams
  const references = referencesOf(project, job.categoryId)
  if (references.length === 0) {
    project.jobs.fail(job.id, 'the category has no reference mask')
    throw new StudioError('invalid-input', 'the category has no reference mask: mark the object and use it as reference first')
  }
  const failures: { where: string; message: string }[] = []
  let processed = 0
  let proposals = 0
  let absent = 0
  try {
    const runner = await PropagationRunner.prepare(
      runtime,
      references.map((annotation) => {
        const image = project.images.require(annotation.imageId)
        return { file: project.absolutePath(image.relPath), imageKey: image.contentHash, mask: binaryOfStored(annotation.mask!) }
      }),
      { method: job.kind, maxInstances: params.maxInstances, absentThreshold: params.absentThreshold, candidates: params.candidates, signal: context.signal },
    )
    for (;;) {
      const batch = project.jobs.nextPending(job.id, BATCH)
      if (batch.length === 0) break
      const items = batch.map((image) => ({ id: image.id, file: project.absolutePath(image.relPath), imageKey: image.contentHash, name: image.relPath }))
      for await (const event of runner.run(items)) {
        if (event.kind === 'failed') {
          project.jobs.recordResult(job.id, event.image.id, { error: event.error })
          failures.push({ where: event.image.name, message: event.error })
        } else {
          const result = event.result
          // Shared with the queue worker (imageProposals), so both store byte-identical proposals.
          const stored = jobProposalsOf(job.kind, result, event.masks)
          const created = project.jobs.recordResult(job.id, event.image.id, { proposals: stored })
          if (result.absent) absent++
          else proposals += created.length
          events.onProposals(created)
        }
        processed++
        const current = project.jobs.require(job.id)
        context.progress(current.total - current.pending, current.total)
      }
    }
  } catch (error) {
    const current = project.jobs.get(job.id)
    if (context.signal.aborted) {
      // A user's cancel ends the job; a shutdown leaves it running in the store, which the next
      // open turns into 'interrupted' and resumes.
      if (current && current.state === 'running' && context.signal.reason !== 'shutdown') project.jobs.cancel(job.id)
    } else if (current && current.state === 'running') {
      project.jobs.fail(job.id, error instanceof Error ? error.message : String(error))
    }
    throw error
  }
  return { images: processed, proposals, absent, failed: failures, secondsPerImage: processed > 0 ? (performance.now() - started) / 1000 / processed : 0 }
}
