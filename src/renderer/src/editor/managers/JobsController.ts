/**
 * The renderer's side of the core's background jobs (main's JobManager runs them), as the session sees them: propagation, export, import and model installs.
 * job:progress events keep each job's latest report; when a job that changes annotations ends,
 * the list, counts, categories and the open image are read again.
 */
import type { RequestOf } from '../../../../common/ipc/contract'
import type { JobInfo } from '../../../../common/ipc/types'
import { DEFAULT_ABSENT_THRESHOLD } from '../../../../common/persam/confidence'
import type { Editor } from '../Editor'
import type { PropagationSettings } from '../state'

/** Finished jobs kept for the progress area and the export summary. */
const FINISHED_JOBS_KEPT = 8

export type ExportRequest = RequestOf<'exchange:export'>

export const DEFAULT_PROPAGATION: Omit<PropagationSettings, 'categoryId'> = {
  method: 'persam-f',
  scope: 'unlabeled',
  maxInstances: 1,
  absentThreshold: DEFAULT_ABSENT_THRESHOLD,
}

export class JobsController {
  /** Set when corrections asked for a re-propagation while one was still running. */
  private repropagateCategory: number | null = null

  constructor(private readonly editor: Editor) {}

  running(kind?: JobInfo['kind']): JobInfo[] {
    return this.editor.session.jobs.filter((job) => (job.state === 'running' || job.state === 'queued') && (!kind || job.kind === kind))
  }

  byId(jobId: string | null): JobInfo | null {
    return this.editor.session.jobs.find((job) => job.id === jobId) ?? null
  }

  /**
   * Records a job's latest report and reacts when it finishes. Reports can arrive out of order
   * (the start response after the first progress event), so an older one never replaces a newer.
   */
  track(job: JobInfo): void {
    const previous = this.byId(job.id)
    if (previous && isOlderReport(job, previous)) return
    const jobs = [job, ...this.editor.session.jobs.filter((j) => j.id !== job.id)]
    const active = jobs.filter((j) => j.state === 'queued' || j.state === 'running')
    const finished = jobs.filter((j) => j.state !== 'queued' && j.state !== 'running').slice(0, FINISHED_JOBS_KEPT)
    this.editor.updateSession({ jobs: [...active, ...finished] })
    const justEnded = job.finishedAt !== null && (previous === null || previous.finishedAt === null)
    if (justEnded) this.onEnded(job)
    else if (job.kind === 'import' && job.done !== previous?.done) this.editor.track(this.onImportProgress())
  }

  async startPropagation(settings: PropagationSettings): Promise<JobInfo | undefined> {
    const category = this.editor.doc.categories.find((c) => c.id === settings.categoryId)
    if (category && category.referenceCount === 0) {
      this.editor.notify('error', `"${category.name}" has no reference yet: select one of its masks and press R (Use as reference).`, {
        cause: { kind: 'no-reference', categoryId: category.id },
      })
      return undefined
    }
    const job = await this.editor.attempt('Starting the propagation', () =>
      this.editor.api.call('propagation:start', {
        categoryId: settings.categoryId,
        method: settings.method,
        scope: settings.scope,
        maxInstances: settings.maxInstances,
        // null says "never mark absent"; omitting it would fall back to the engine's default.
        absentThreshold: settings.absentThreshold,
      }),
    )
    if (!job) return undefined
    this.editor.updateSession({ lastPropagation: settings, dialog: null })
    this.track(job)
    return job
  }

  /** Propagates again to the images not reviewed yet, with the last settings (after a correction became a reference). */
  async repropagate(categoryId: number): Promise<void> {
    if (this.running('propagation').length > 0) {
      this.repropagateCategory = categoryId
      return
    }
    const last = this.editor.session.lastPropagation
    const base = last && last.categoryId === categoryId ? last : { ...DEFAULT_PROPAGATION, categoryId }
    await this.startPropagation({ ...base, scope: 'not-reviewed' })
  }

  async startExport(request: ExportRequest): Promise<JobInfo | undefined> {
    const job = await this.editor.attempt('Starting the export', () => this.editor.api.call('exchange:export', request))
    if (!job) return undefined
    this.editor.updateSession({ exportJobId: job.id })
    this.track(job)
    return job
  }

  async cancel(jobId: string): Promise<void> {
    const job = await this.editor.attempt('Cancelling the job', () => this.editor.api.call('job:cancel', { jobId }))
    if (job) this.track(job)
  }

  /** Reads the jobs the core is running (after a page reload in browser mode). */
  async load(options: { readonly dropUnknown?: boolean } = {}): Promise<void> {
    const jobs = await this.editor.attempt('Listing jobs', () => this.editor.api.call('job:list', {}))
    if (!jobs) return
    this.editor.store.batch(() => {
      // After a lost connection: a running job the core no longer lists ended with the process that ran it.
      if (options.dropUnknown) {
        const known = new Set(jobs.map((job) => job.id))
        this.editor.updateSession((session) => ({ jobs: session.jobs.filter((job) => known.has(job.id) || job.finishedAt !== null) }))
      }
      jobs.forEach((job) => this.track(job))
    })
  }

  /** A new project fills up while its import runs: show the images as they come, open the first. */
  private async onImportProgress(): Promise<void> {
    await this.editor.documents.reloadImagePages()
    const first = this.editor.documents.itemAt(0)
    if (!this.editor.doc.image && first && this.editor.session.loadingImageId === null) await this.editor.documents.openImage(first.id)
  }

  private onEnded(job: JobInfo): void {
    if (job.state === 'failed' && job.error) this.editor.notify('error', `${job.label} failed: ${job.error.message}`)
    if (job.kind === 'propagation' || job.kind === 'import') {
      this.editor.afterAnnotationsChanged()
      this.editor.track(this.editor.documents.reloadImage())
      this.editor.track(this.editor.documents.refreshProject())
    }
    if (job.kind === 'model-install') this.editor.models.onDownloadEnded(job)
    if (job.kind === 'propagation' && this.repropagateCategory !== null) {
      const categoryId = this.repropagateCategory
      this.repropagateCategory = null
      this.editor.track(this.repropagate(categoryId))
    }
  }
}

/** Reports of one job carry increasing revisions; the start response can arrive after the first progress event. */
function isOlderReport(report: JobInfo, known: JobInfo): boolean {
  return report.revision <= known.revision
}
