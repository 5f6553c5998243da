/**
 * Propagation jobs as the runner sees them: create a job over a list of images, take the next
 * pending images, record each image's result together with its proposals in ONE transaction,
 * and finish. Per-image states live in SQLite, so after a crash the job resumes with exactly
 * the images whose results were not committed. All proposals of a job form one undo step.
 */
import type { AnnotationRepository } from './annotations'
import { statement, type SqliteDatabase } from './connection'
import { conflict, invalidInput, notFound } from './errors'
import type { EditHistory } from './history'
import { IMAGE_COLUMNS, toImage, type ImageRow } from './images'
import { admissibleProposals, imageDecisions, type ImageDecisions } from './propagationRule'
import type { Annotation, AnnotationStatus, ImageRecord, StoredMask } from './types'

export const JOB_KINDS = ['persam', 'persam-f'] as const
export type JobKind = (typeof JOB_KINDS)[number]
export type JobState = 'queued' | 'running' | 'interrupted' | 'completed' | 'cancelled' | 'failed'
export type JobImageState = 'pending' | 'done' | 'failed'

export interface Job {
  readonly id: number
  readonly kind: JobKind
  readonly categoryId: number
  readonly referenceSetId: number | null
  readonly params: unknown
  readonly modelId: string | null
  readonly state: JobState
  readonly error: string | null
  readonly total: number
  readonly done: number
  readonly failed: number
  readonly pending: number
  readonly historyStepId: number | null
  readonly createdAt: number
  readonly startedAt: number | null
  readonly finishedAt: number | null
}

export interface NewJob {
  readonly kind: JobKind
  readonly categoryId: number
  readonly referenceSetId?: number | null
  /** Method parameters, stored as JSON and handed back on resume. */
  readonly params: unknown
  readonly modelId?: string | null
  /** Images in processing order (the review queue can start on the first ones). */
  readonly imageIds: readonly number[]
}

/** One proposal for an image; category, source and model come from the job. */
export interface JobProposal {
  /** Null for an 'absent' result without a mask. */
  readonly mask: StoredMask | null
  /** 'absent' records that the engine judged the object not to be in the image. */
  readonly status?: Extract<AnnotationStatus, 'proposed' | 'absent'>
  readonly score?: number | null
  readonly method?: unknown
}

/**
 * One image's outcome. Proposals replace the earlier propagations' untouched results on the
 * image and are cut to what the propagation rule admits (see ./propagationRule).
 */
export type JobImageResult =
  | {
      readonly proposals: readonly JobProposal[]
      /** Masks of the category the image may hold, the accepted and edited ones included (default: no limit). */
      readonly maxInstances?: number
    }
  | { readonly error: string }

interface JobRow {
  id: number
  kind: JobKind
  category_id: number
  reference_set_id: number | null
  params: string
  model_id: string | null
  state: JobState
  history_step_id: number | null
  error: string | null
  total: number
  n_done: number
  n_failed: number
  created_at: number
  started_at: number | null
  finished_at: number | null
}

const toJob = (row: JobRow): Job => ({
  id: row.id,
  kind: row.kind,
  categoryId: row.category_id,
  referenceSetId: row.reference_set_id,
  params: JSON.parse(row.params) as unknown,
  modelId: row.model_id,
  state: row.state,
  error: row.error,
  total: row.total,
  done: row.n_done,
  failed: row.n_failed,
  pending: row.total - row.n_done - row.n_failed,
  historyStepId: row.history_step_id,
  createdAt: row.created_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
})

const FINAL_STATES: readonly JobState[] = ['completed', 'cancelled', 'failed']

export class JobRepository {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number,
    private readonly history: EditHistory,
    private readonly annotations: AnnotationRepository,
  ) {}

  /** Creates a queued job with every image pending, in one transaction. */
  create(job: NewJob): Job {
    if (!(JOB_KINDS as readonly string[]).includes(job.kind)) throw invalidInput(`unknown job kind "${job.kind}"`)
    if (job.imageIds.length === 0) throw invalidInput('a propagation job needs at least one image')
    if (new Set(job.imageIds).size !== job.imageIds.length) throw invalidInput('a propagation job lists an image twice')
    return this.db.transaction(() => {
      const category = statement(this.db, 'SELECT name FROM categories WHERE id = ?').get(job.categoryId) as { name: string } | undefined
      if (!category) throw notFound(`category ${job.categoryId}`)
      const missing = statement(this.db, 'SELECT value FROM json_each(?) WHERE value NOT IN (SELECT id FROM images) LIMIT 5').all(JSON.stringify(job.imageIds)) as { value: number }[]
      if (missing.length > 0) throw notFound(`image ${missing.map((row) => row.value).join(', ')}`)
      const now = this.now()
      const stepId = this.history.openStep(`Propagate "${category.name}" (${job.kind === 'persam' ? 'PerSAM' : 'PerSAM-F'}) to ${job.imageIds.length} images`)
      const row = statement(
        this.db,
        `INSERT INTO jobs(kind, category_id, reference_set_id, params, model_id, state, history_step_id, total, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?) RETURNING *`,
      ).get(job.kind, job.categoryId, job.referenceSetId ?? null, JSON.stringify(job.params ?? null), job.modelId ?? null, stepId, job.imageIds.length, now, now) as JobRow
      const addImage = statement(this.db, 'INSERT INTO job_images(job_id, image_id, position) VALUES (?, ?, ?)')
      job.imageIds.forEach((imageId, position) => addImage.run(row.id, imageId, position))
      return toJob(row)
    })()
  }

  get(id: number): Job | undefined {
    const row = statement(this.db, 'SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined
    return row ? toJob(row) : undefined
  }

  require(id: number): Job {
    const job = this.get(id)
    if (!job) throw notFound(`job ${id}`)
    return job
  }

  /** Newest first. */
  list(options: { states?: readonly JobState[] } = {}): Job[] {
    const rows = statement(this.db, 'SELECT * FROM jobs ORDER BY id DESC').all() as JobRow[]
    return rows.filter((row) => !options.states || options.states.includes(row.state)).map(toJob)
  }

  /** Jobs a runner should pick up: queued, or interrupted by a crash or a quit. */
  resumable(): Job[] {
    return this.list({ states: ['queued', 'interrupted'] }).reverse()
  }

  /** Marks a queued or interrupted job running; one job runs at a time per project. */
  start(id: number): Job {
    return this.db.transaction(() => {
      const job = this.require(id)
      if (job.state !== 'queued' && job.state !== 'interrupted') throw conflict(`job ${id} is ${job.state}; only a queued or interrupted job can start`)
      const running = statement(this.db, "SELECT id FROM jobs WHERE state = 'running'").get() as { id: number } | undefined
      if (running) throw conflict(`job ${running.id} is already running in this project`)
      statement(this.db, "UPDATE jobs SET state = 'running', started_at = coalesce(started_at, ?), updated_at = ? WHERE id = ?").run(this.now(), this.now(), id)
      return this.require(id)
    }).immediate()
  }

  /** The next `limit` pending images, in the job's order. */
  nextPending(id: number, limit: number): ImageRecord[] {
    const rows = statement(
      this.db,
      `SELECT ${IMAGE_COLUMNS}
       FROM job_images j JOIN images i ON i.id = j.image_id WHERE j.job_id = ? AND j.state = 'pending' ORDER BY j.position LIMIT ?`,
    ).all(id, limit) as ImageRow[]
    return rows.map(toImage)
  }

  /**
   * Stores one image's outcome: its proposals (logged in the job's undo step) and the image's
   * done/failed state, in one transaction. When it was the last pending image, the job completes.
   */
  recordResult(jobId: number, imageId: number, result: JobImageResult): Annotation[] {
    return this.db.transaction(() => {
      const job = this.require(jobId)
      if (job.state !== 'running') throw conflict(`job ${jobId} is ${job.state}, not running`)
      const entry = statement(this.db, 'SELECT state FROM job_images WHERE job_id = ? AND image_id = ?').get(jobId, imageId) as { state: JobImageState } | undefined
      if (!entry) throw notFound(`image ${imageId} in job ${jobId}`)
      if (entry.state !== 'pending') throw conflict(`image ${imageId} of job ${jobId} is already ${entry.state}`)
      const now = this.now()
      let created: Annotation[] = []
      if ('error' in result) {
        statement(this.db, "UPDATE job_images SET state = 'failed', error = ?, finished_at = ? WHERE job_id = ? AND image_id = ?").run(result.error, now, jobId, imageId)
        statement(this.db, 'UPDATE jobs SET n_failed = n_failed + 1, updated_at = ? WHERE id = ?').run(now, jobId)
      } else {
        const stepId = job.historyStepId ?? this.reopenStep(job)
        created = this.history.appendTo(stepId, () => {
          const decisions = imageDecisions(this.db, this.annotations.forImage(imageId, { categoryId: job.categoryId }))
          // Deleted inside the job's step: undoing the job brings the earlier results back.
          if (decisions.replaced.length > 0) this.annotations.remove(decisions.replaced.map((a) => a.id))
          return admissibleProposals(result.proposals, decisions, result.maxInstances ?? Infinity).map((proposal) =>
            this.annotations.insertForJob(
              {
                imageId,
                categoryId: job.categoryId,
                mask: proposal.mask,
                status: proposal.status ?? 'proposed',
                source: job.kind,
                score: proposal.score ?? null,
                modelId: job.modelId,
                method: proposal.method ?? null,
              },
              jobId,
            ),
          )
        })
        statement(this.db, "UPDATE job_images SET state = 'done', finished_at = ? WHERE job_id = ? AND image_id = ?").run(now, jobId, imageId)
        statement(this.db, 'UPDATE jobs SET n_done = n_done + 1, updated_at = ? WHERE id = ?').run(now, jobId)
      }
      if (this.require(jobId).pending === 0) this.end(jobId, 'completed', null)
      return created
    }).immediate()
  }

  /** What a propagation may do on an image for a category (see ./propagationRule). */
  decisionsOn(imageId: number, categoryId: number): ImageDecisions {
    return imageDecisions(this.db, this.annotations.forImage(imageId, { categoryId }))
  }

  cancel(id: number): Job {
    return this.db.transaction(() => {
      const job = this.require(id)
      if (FINAL_STATES.includes(job.state)) throw conflict(`job ${id} is already ${job.state}`)
      this.end(id, 'cancelled', null)
      return this.require(id)
    })()
  }

  fail(id: number, message: string): Job {
    return this.db.transaction(() => {
      this.require(id)
      this.end(id, 'failed', message)
      return this.require(id)
    })()
  }

  /** On open: a job left 'running' by a crash or a quit becomes 'interrupted' (resumable). */
  interruptRunning(): number {
    return statement(this.db, "UPDATE jobs SET state = 'interrupted', updated_at = ? WHERE state = 'running'").run(this.now()).changes
  }

  /** Per-image states of a job, in order. */
  imageStates(id: number, options: { state?: JobImageState; limit?: number; offset?: number } = {}): { imageId: number; state: JobImageState; error: string | null }[] {
    const rows = statement(
      this.db,
      `SELECT image_id, state, error FROM job_images WHERE job_id = ? AND (? IS NULL OR state = ?) ORDER BY position LIMIT ? OFFSET ?`,
    ).all(id, options.state ?? null, options.state ?? null, options.limit ?? -1, options.offset ?? 0) as { image_id: number; state: JobImageState; error: string | null }[]
    return rows.map((row) => ({ imageId: row.image_id, state: row.state, error: row.error }))
  }

  private end(id: number, state: JobState, error: string | null): void {
    const now = this.now()
    statement(this.db, 'UPDATE jobs SET state = ?, error = ?, finished_at = ?, updated_at = ? WHERE id = ?').run(state, error, now, now, id)
    const step = (statement(this.db, 'SELECT history_step_id AS id FROM jobs WHERE id = ?').get(id) as { id: number | null }).id
    if (step !== null) this.history.closeStep(step)
  }

  /** The job's undo step was cleared (a category or image deletion): continue in a new one. */
  private reopenStep(job: Job): number {
    const stepId = this.history.openStep(`Propagate (job ${job.id}, continued)`)
    statement(this.db, 'UPDATE jobs SET history_step_id = ? WHERE id = ?').run(stepId, job.id)
    return stepId
  }
}
