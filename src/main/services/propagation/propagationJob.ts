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
import { binaryOfStored, type Annotation, type ImageState, type Project, type PropagationRun } from '../store'
import { runProposalsOf } from './imageProposals'
import { PropagationRunner } from './propagationRunner'

/**
 * unlabeled: images without annotations of the category; not-reviewed: those plus the images
 * still holding proposals or only a propagation's automatic "absent" verdict; all: every image.
 * Whatever the scope, the store's propagation rule replaces only earlier untouched results and
 * keeps every decision a person made (see store/propagationRule).
 */
export type PropagationScope = 'unlabeled' | 'not-reviewed' | 'all' | { readonly imageIds: readonly number[] }

export interface PropagationParams {
  readonly maxInstances: number
  /** Undefined: the engine's default; null: never mark an image absent. */
  readonly absentThreshold?: number | null
  readonly candidates?: number
}

const BATCH = 8

const SCOPE_STATES: Record<Exclude<PropagationScope, object>, readonly (ImageState | undefined)[]> = {
  unlabeled: ['unlabeled'],
  'not-reviewed': ['unlabeled', 'to-review', 'absent'],
  all: [undefined],
}

/** Image ids the scope covers for a category, in name order, minus the references' images and `exclude`. */
export function imagesInScope(project: Project, categoryId: number, scope: PropagationScope, exclude: readonly number[] = []): number[] {
  const skip = new Set(exclude)
  const referenceSet = project.references.defaultSet(categoryId)
  for (const reference of project.references.members(referenceSet.id)) skip.add(reference.imageId)
  if (typeof scope === 'object') {
    for (const id of scope.imageIds) project.images.require(id)
    return scope.imageIds.filter((id) => !skip.has(id))
  }
  const ids = new Set<number>()
  for (const state of SCOPE_STATES[scope]) {
    for (let offset = 0; ; offset += 1000) {
      const page = project.images.page({ offset, limit: 1000, state, categoryId, order: 'name' })
      for (const item of page.items) {
        if (skip.has(item.id)) continue
        // Only absent verdicts: reviewed when a person gave one, not when a propagation did.
        if (scope === 'not-reviewed' && state === 'absent' && project.runs.decisionsOn(item.id, categoryId).markedAbsent) continue
        ids.add(item.id)
      }
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
  /** An image's result is stored: its new annotations (its earlier proposals may be gone). */
  onProposals(annotations: readonly Annotation[], imageId: number): void
}

/** Marks a stored run running; a category left without references fails it, with a message saying what to do. */
export function startRun(project: Project, job: PropagationRun): { params: PropagationParams; references: Annotation[] } {
  project.runs.start(job.id)
  const references = referencesOf(project, job.categoryId)
  if (references.length === 0) {
    project.runs.fail(job.id, 'the category has no reference mask')
    throw new StudioError('invalid-input', 'the category has no reference mask: mark the object and use it as reference first')
  }
  return { params: job.params as PropagationParams, references }
}

/** Encodes the run's references and prepares the target (and PerSAM-F's weights) its images are segmented with. */
export function prepareRunTarget(
  project: Project,
  runtime: SamRuntime,
  job: PropagationRun,
  params: PropagationParams,
  references: readonly Annotation[],
  signal: AbortSignal,
): Promise<PropagationRunner> {
  return PropagationRunner.prepare(
    runtime,
    references.map((annotation) => {
      const image = project.images.require(annotation.imageId)
      return { file: project.absolutePath(image.relPath), imageKey: image.contentHash, mask: binaryOfStored(annotation.mask!) }
    }),
    { method: job.method, maxInstances: params.maxInstances, absentThreshold: params.absentThreshold, candidates: params.candidates, signal },
  )
}

/**
 * Settles a running run after its work threw: a user's cancel ends it, a failure fails it with the
 * message; a shutdown leaves it running in the store, which the next open turns into 'interrupted'
 * and resumes.
 */
export function endRunAfterError(project: Project, job: PropagationRun, signal: AbortSignal, error: unknown): void {
  const current = project.runs.get(job.id)
  if (!current || current.state !== 'running') return
  if (!signal.aborted) project.runs.fail(job.id, error instanceof Error ? error.message : String(error))
  else if (signal.reason !== 'shutdown') project.runs.cancel(job.id)
}

/** Runs (or resumes) stored job `jobId` until no image is pending, the signal aborts, or it fails. */
export async function runPropagationJob(
  project: Project,
  runtime: SamRuntime,
  job: PropagationRun,
  context: JobContext,
  events: PropagationEvents,
): Promise<PropagationReport> {
  const started = performance.now()
  const { params, references } = startRun(project, job)
  const failures: { where: string; message: string }[] = []
  let processed = 0
  let proposals = 0
  let absent = 0
  try {
    const runner = await prepareRunTarget(project, runtime, job, params, references, context.signal)
    const reportProgress = () => {
      processed++
      const current = project.runs.require(job.id)
      context.progress(current.total - current.pending, current.total)
    }
    for (;;) {
      const batch = project.runs.nextPending(job.id, BATCH)
      if (batch.length === 0) break
      const items = []
      for (const image of batch) {
        const decisions = project.runs.decisionsOn(image.id, job.categoryId)
        if (decisions.markedAbsent || decisions.kept.length >= params.maxInstances) {
          // Nothing new may go there: only the earlier proposals are cleared.
          events.onProposals(project.runs.recordResult(job.id, image.id, { proposals: [], maxInstances: params.maxInstances }), image.id)
          reportProgress()
          continue
        }
        const keptMasks = decisions.kept.map((annotation) => binaryOfStored(annotation.mask!))
        items.push({ id: image.id, file: project.absolutePath(image.relPath), imageKey: image.contentHash, name: image.relPath, keptMasks })
      }
      for await (const event of runner.run(items)) {
        if (event.kind === 'failed') {
          project.runs.recordResult(job.id, event.image.id, { error: event.error })
          failures.push({ where: event.image.name, message: event.error })
        } else {
          const result = event.result
          // Shared with the queue worker (imageProposals), so both store the same proposals.
          const stored = runProposalsOf(job.method, result, event.masks)
          const created = project.runs.recordResult(job.id, event.image.id, { proposals: stored, maxInstances: params.maxInstances })
          absent += created.filter((annotation) => annotation.status === 'absent').length
          proposals += created.filter((annotation) => annotation.status !== 'absent').length
          events.onProposals(created, event.image.id)
        }
        reportProgress()
      }
    }
  } catch (error) {
    endRunAfterError(project, job, context.signal, error)
    throw error
  }
  return { images: processed, proposals, absent, failed: failures, secondsPerImage: processed > 0 ? (performance.now() - started) / 1000 / processed : 0 }
}
