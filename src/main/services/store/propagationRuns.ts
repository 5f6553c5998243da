/**
 * Propagation runs, the stored record of one propagation (method, category, images, per-image
 * progress); the background job that executes a run is src/main/services/jobs. Create a run over
 * a list of images, take the next pending images, record each image's result together with its
 * proposals in ONE transaction, and finish. Per-image states live in SQLite, so after a crash
 * the run resumes with exactly the images whose results were not committed. All proposals of a
 * run form one undo step. The SQL keeps its first names (table `jobs`, column `kind` for the
 * method, state 'completed' for 'done'); this repository maps them.
 */
import type { AnnotationRepository } from './annotations'
import { statement, type SqliteDatabase } from './connection'
import { conflict, invalidInput, notFound } from './errors'
import type { EditHistory } from './history'
import { IMAGE_COLUMNS, toImage, type ImageRow } from './images'
import { admissibleProposals, imageDecisions, type ImageDecisions } from './propagationRule'
import type { Annotation, AnnotationStatus, ImageRecord, StoredMask } from './types'

export const PROPAGATION_METHODS = ['persam', 'persam-f'] as const
export type PropagationMethod = (typeof PROPAGATION_METHODS)[number]
/**
 * The background-job states where they mean the same ('done', not the SQL column's 'completed'),
 * plus 'interrupted': a run a crash or a quit stopped, which resumes on the next open.
 */
export type PropagationRunState = 'queued' | 'running' | 'interrupted' | 'done' | 'cancelled' | 'failed'
/** The SQL column's names (kept to avoid a migration): 'completed' is 'done'. */
type StoredRunState = Exclude<PropagationRunState, 'done'> | 'completed'
export type RunImageState = 'pending' | 'done' | 'failed'

export interface PropagationRun {
  readonly id: number
  readonly method: PropagationMethod
  readonly categoryId: number
  readonly referenceSetId: number | null
  readonly params: unknown
  readonly modelId: string | null
  readonly state: PropagationRunState
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

export interface NewPropagationRun {
  readonly method: PropagationMethod
  readonly categoryId: number
  readonly referenceSetId?: number | null
  /** Method parameters, stored as JSON and handed back on resume. */
  readonly params: unknown
  readonly modelId?: string | null
  /** Images in processing order (the review queue can start on the first ones). */
  readonly imageIds: readonly number[]
}

/** One proposal for an image; category, source and model come from the job. */
export interface RunProposal {
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
export type RunImageResult =
  | {
      readonly proposals: readonly RunProposal[]
      /** Masks of the category the image may hold, the accepted and edited ones included (default: no limit). */
      readonly maxInstances?: number
    }
  | { readonly error: string }

interface RunRow {
  id: number
  kind: PropagationMethod
  category_id: number
  reference_set_id: number | null
  params: string
  model_id: string | null
  state: StoredRunState
  history_step_id: number | null
  error: string | null
  total: number
  n_done: number
  n_failed: number
  created_at: number
  started_at: number | null
  finished_at: number | null
}

const toRun = (row: RunRow): PropagationRun => ({
  id: row.id,
  method: row.kind,
  categoryId: row.category_id,
  referenceSetId: row.reference_set_id,
  params: JSON.parse(row.params) as unknown,
  modelId: row.model_id,
  state: row.state === 'completed' ? 'done' : row.state,
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

const FINAL_STATES: readonly PropagationRunState[] = ['done', 'cancelled', 'failed']

export class PropagationRunRepository {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number,
    private readonly history: EditHistory,
    private readonly annotations: AnnotationRepository,
  ) {}

  /** Creates a queued job with every image pending, in one transaction. */
  create(job: NewPropagationRun): PropagationRun {
    if (!(PROPAGATION_METHODS as readonly string[]).includes(job.method)) throw invalidInput(`unknown propagation method "${job.method}"`)
    if (job.imageIds.length === 0) throw invalidInput('a propagation job needs at least one image')
    if (new Set(job.imageIds).size !== job.imageIds.length) throw invalidInput('a propagation job lists an image twice')
    return this.db.transaction(() => {
      const category = statement(this.db, 'SELECT name FROM categories WHERE id = ?').get(job.categoryId) as { name: string } | undefined
      if (!category) throw notFound(`category ${job.categoryId}`)
      const missing = statement(this.db, 'SELECT value FROM json_each(?) WHERE value NOT IN (SELECT id FROM images) LIMIT 5').all(JSON.stringify(job.imageIds)) as { value: number }[]
      if (missing.length > 0) throw notFound(`image ${missing.map((row) => row.value).join(', ')}`)
      const now = this.now()
      const stepId = this.history.openStep(`Propagate "${category.name}" (${job.method === 'persam' ? 'PerSAM' : 'PerSAM-F'}) to ${job.imageIds.length} images`)
      const row = statement(
        this.db,
        `INSERT INTO jobs(kind, category_id, reference_set_id, params, model_id, state, history_step_id, total, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?) RETURNING *`,
      ).get(job.method, job.categoryId, job.referenceSetId ?? null, JSON.stringify(job.params ?? null), job.modelId ?? null, stepId, job.imageIds.length, now, now) as RunRow
      const addImage = statement(this.db, 'INSERT INTO job_images(job_id, image_id, position) VALUES (?, ?, ?)')
      job.imageIds.forEach((imageId, position) => addImage.run(row.id, imageId, position))
      return toRun(row)
    })()
  }

  get(id: number): PropagationRun | undefined {
    const row = statement(this.db, 'SELECT * FROM jobs WHERE id = ?').get(id) as RunRow | undefined
    return row ? toRun(row) : undefined
  }

  require(id: number): PropagationRun {
    const job = this.get(id)
    if (!job) throw notFound(`job ${id}`)
    return job
  }

  /** Newest first. */
  list(options: { states?: readonly PropagationRunState[] } = {}): PropagationRun[] {
    const rows = statement(this.db, 'SELECT * FROM jobs ORDER BY id DESC').all() as RunRow[]
    return rows.map(toRun).filter((run) => !options.states || options.states.includes(run.state))
  }

  /** Jobs a runner should pick up: queued, or interrupted by a crash or a quit. */
  resumable(): PropagationRun[] {
    return this.list({ states: ['queued', 'interrupted'] }).reverse()
  }

  /** Marks a queued or interrupted job running; one job runs at a time per project. */
  start(id: number): PropagationRun {
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
  recordResult(jobId: number, imageId: number, result: RunImageResult): Annotation[] {
    return this.db.transaction(() => {
      const job = this.require(jobId)
      if (job.state !== 'running') throw conflict(`job ${jobId} is ${job.state}, not running`)
      const entry = statement(this.db, 'SELECT state FROM job_images WHERE job_id = ? AND image_id = ?').get(jobId, imageId) as { state: RunImageState } | undefined
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
            this.annotations.insertForRun(
              {
                imageId,
                categoryId: job.categoryId,
                mask: proposal.mask,
                status: proposal.status ?? 'proposed',
                source: job.method,
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

  cancel(id: number): PropagationRun {
    return this.db.transaction(() => {
      const job = this.require(id)
      if (FINAL_STATES.includes(job.state)) throw conflict(`job ${id} is already ${job.state}`)
      this.end(id, 'cancelled', null)
      return this.require(id)
    })()
  }

  fail(id: number, message: string): PropagationRun {
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
  imageStates(id: number, options: { state?: RunImageState; limit?: number; offset?: number } = {}): { imageId: number; state: RunImageState; error: string | null }[] {
    const rows = statement(
      this.db,
      `SELECT image_id, state, error FROM job_images WHERE job_id = ? AND (? IS NULL OR state = ?) ORDER BY position LIMIT ? OFFSET ?`,
    ).all(id, options.state ?? null, options.state ?? null, options.limit ?? -1, options.offset ?? 0) as { image_id: number; state: RunImageState; error: string | null }[]
    return rows.map((row) => ({ imageId: row.image_id, state: row.state, error: row.error }))
  }

  private end(id: number, state: StoredRunState, error: string | null): void {
    const now = this.now()
    statement(this.db, 'UPDATE jobs SET state = ?, error = ?, finished_at = ?, updated_at = ? WHERE id = ?').run(state, error, now, now, id)
    const step = (statement(this.db, 'SELECT history_step_id AS id FROM jobs WHERE id = ?').get(id) as { id: number | null }).id
    if (step !== null) this.history.closeStep(step)
  }

  /** The job's undo step was cleared (a category or image deletion): continue in a new one. */
  private reopenStep(job: PropagationRun): number {
    const stepId = this.history.openStep(`Propagate (job ${job.id}, continued)`)
    statement(this.db, 'UPDATE jobs SET history_step_id = ? WHERE id = ?').run(stepId, job.id)
    return stepId
  }
}
