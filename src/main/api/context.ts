/**
 * Everything a handler may touch: the open project (one at a time), the model, background jobs
 * and the event hub. Project lifecycle (create, open, demo, close) lives here so every host
 * (Electron, browser mode, tests) gets the same behaviour.
 */
import { existsSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import type { ProjectSummary, ReadOnlyState } from '../../common/ipc/dto/project'
import type { ModelCatalog } from '../../common/models/catalog'
import { StudioError } from '../../common/ipc/result'
import { prepareOutputFolder } from '../services/fs/outputPath'
import { JobManager } from '../services/jobs/jobManager'
import { MediaCache } from '../services/media/mediaCache'
import { ActiveModel } from '../services/models/activeModel'
import { runPropagationJob, type PropagationEvents } from '../services/propagation/propagationJob'
import { runQueuedPropagationIfConfigured } from '../services/queue/studioQueue'
import { SegmentService } from '../services/segment/segmentService'
import {
  backupProject,
  checkDatabaseFile,
  createProject,
  damagedFileMessage,
  DEFAULT_STALE_AFTER_MS,
  describeHolder,
  hasBackups,
  isCorruptionError,
  isStale,
  LOCK_FILE,
  openProject,
  Project,
  PROJECT_FILE,
  readLock,
  restoreBackup,
  type PropagationRun,
  type LockHolder,
  type RestoreResult,
} from '../services/store'
import type { AppHost } from '../services/system/appInfo'
import { RecentProjects } from '../services/system/recentProjects'
import { BUNDLED_DEMOS, type DemoKind } from './demoProjects'
import { annotationInfo } from './dto'
import type { EventHub } from './events'
import type { DialogService } from './dialogs'

export interface ProjectSession {
  readonly project: Project
  readonly isDemo: boolean
  readonly media: MediaCache
  readonly segment: SegmentService
  /** Null while writes are allowed; set when opened read-only or when the file check fails. */
  readOnly: ReadOnlyState | null
  /** Settles when the open-time file check is done; writes wait for it. */
  readonly checked: Promise<void>
}

/** Automatic backups while a project is open for writing (and one on close). */
const BACKUP_EVERY_MS = 60 * 60_000

export interface StudioContextOptions {
  readonly host: AppHost
  readonly dataDir: string
  readonly events: EventHub
  readonly dialogs?: DialogService
  readonly log: (message: string, error?: unknown) => void
  readonly modelCatalog?: ModelCatalog
}

export const TOY_MODEL_ID = 'toy-sam'

export class StudioContext {
  readonly jobs: JobManager
  readonly recent: RecentProjects
  private session: ProjectSession | null = null
  private backupTimer: NodeJS.Timeout | null = null
  /** SQLite's total_changes() at the last backup, to skip backups of an unchanged project. */
  private changesAtBackup = -1

  private constructor(
    readonly options: StudioContextOptions,
    readonly models: ActiveModel,
  ) {
    this.jobs = new JobManager((job) => options.events.emit('job:progress', job))
    this.recent = new RecentProjects(path.join(options.dataDir, 'recent-projects.json'), PROJECT_FILE)
  }

  static async create(options: StudioContextOptions): Promise<StudioContext> {
    mkdirSync(options.dataDir, { recursive: true })
    const models = await ActiveModel.open({
      dataDir: options.dataDir,
      embeddingCacheDir: path.join(options.dataDir, 'cache', 'embeddings'),
      onState: (state) => options.events.emit('model:state', state),
      catalog: options.modelCatalog,
    })
    return new StudioContext(options, models)
  }

  get current(): ProjectSession | null {
    return this.session
  }

  requireSession(): ProjectSession {
    if (!this.session) throw new StudioError('conflict', 'no project is open')
    return this.session
  }

  summary(session: ProjectSession | null = this.session): ProjectSummary | null {
    if (!session) return null
    const { project } = session
    const counts = project.images.annotationCounts()
    return {
      projectDir: project.dir,
      name: path.basename(project.dir),
      imagesRoot: project.imagesRoot,
      imageCount: project.images.count(),
      annotationCount: Object.values(counts).reduce((sum, n) => sum + n, 0),
      isDemo: session.isDemo,
      readOnly: session.readOnly,
    }
  }

  /** Who this process is when it takes a project's write lock. */
  get lockHolder(): LockHolder {
    const kind = this.options.host === 'electron' ? 'app' : this.options.host === 'browser' ? 'server' : 'cli'
    return { kind, label: 'studio' }
  }

  /**
   * Opens for writing (taking the project's lock; refused with code 'locked' while another
   * process holds it) or, with `readOnly`, without the lock: no job is interrupted or resumed and
   * every write is refused.
   */
  async openProject(projectDir: string, isDemo = false, readOnly = false): Promise<ProjectSession> {
    await this.closeProject()
    const dir = path.resolve(projectDir)
    if (readOnly) return this.attach(Project.openReadOnly(dir), isDemo, readOnlyReason(dir))
    try {
      const onLost = (reason: string): void => this.options.log(`[studio] lost the write lock of ${dir}: ${reason}`)
      return this.attach(openProject(dir, { lock: { holder: this.lockHolder, onLost } }), isDemo, null)
    } catch (error) {
      if (!isCorruptionError(error)) throw error
      // Too damaged to open for writing: show what can still be read, and how to restore.
      const message = damagedFileMessage(path.join(dir, PROJECT_FILE), error instanceof Error ? error.message : String(error))
      let project: Project | null = null
      try {
        project = Project.openReadOnly(dir)
        project.images.annotationCounts() // what the summary reads
      } catch {
        project?.close()
        throw new StudioError('damaged', message)
      }
      return this.attach(project, isDemo, { reason: 'damaged', message })
    }
  }

  /**
   * Replaces the project file by one of its backups and opens the project again. The session of
   * that project is closed first (without a backup: the replaced file itself is kept as one).
   */
  async restoreProject(projectDir: string | undefined, backup: string): Promise<{ session: ProjectSession; previous: RestoreResult['previous'] }> {
    const current = this.session
    const dir = path.resolve(projectDir ?? this.requireSession().project.dir)
    const isCurrent = current?.project.dir === dir
    if (isCurrent && current.readOnly?.reason === 'locked') {
      throw new StudioError('locked', `project ${path.basename(dir)} cannot be restored here: ${current.readOnly.message}`)
    }
    if (isCurrent) await this.closeProject({ backup: false })
    const { previous } = await restoreBackup(dir, backup, { lock: { holder: this.lockHolder } })
    return { session: await this.openProject(dir, isCurrent && current.isDemo), previous }
  }

  /** Refuses a write to a read-only project, naming why; waits for the open-time file check first. */
  async assertWritable(): Promise<void> {
    const session = this.session
    if (!session) return // the handler itself says that no project is open
    await session.checked
    if (session.readOnly) throw new StudioError('read-only', `project ${path.basename(session.project.dir)} is read-only: ${session.readOnly.message}`)
  }

  async createProject(projectDir: string, imagesRoot: string, isDemo = false): Promise<ProjectSession> {
    if (!existsSync(imagesRoot)) throw new StudioError('not-found', `image folder ${imagesRoot} does not exist`)
    // Checked before the open project closes: virtual filesystems, files in the way, no write access.
    await prepareOutputFolder(projectDir)
    await this.closeProject()
    const project = createProject(path.resolve(projectDir), { imagesRoot: path.resolve(imagesRoot), lock: { holder: this.lockHolder } })
    return this.attach(project, isDemo, null)
  }

  /**
   * A demo project lives in the data folder; its images stay in the bundled resources. Opening it
   * again opens the same project (read-only or refused like any project when damaged or locked).
   */
  async openDemo(which: DemoKind = 'photos'): Promise<{ session: ProjectSession; created: boolean }> {
    const demo = BUNDLED_DEMOS[which]
    const dir = path.join(this.options.dataDir, demo.dirName)
    const images = demo.images()
    if (existsSync(path.join(dir, PROJECT_FILE))) {
      const session = await this.openProject(dir, true)
      if (!session.readOnly && session.project.imagesRoot !== images) session.project.setImagesRoot(images)
      return { session, created: false }
    }
    const session = await this.createProject(dir, images, true)
    await demo.fill(session.project, images)
    this.options.events.emit('project:changed', this.summary(session))
    return { session, created: true }
  }

  async closeProject(options: { backup?: boolean } = {}): Promise<void> {
    const session = this.session
    if (!session) return
    this.session = null
    if (this.backupTimer) clearInterval(this.backupTimer)
    this.backupTimer = null
    await this.jobs.shutdown()
    await session.checked
    if (options.backup !== false) await this.backup(session)
    session.project.close()
    this.options.events.emit('project:changed', null)
  }

  /** Backs up a sound, writable project that changed since its last backup; failures are logged, never thrown. */
  private async backup(session: ProjectSession): Promise<void> {
    if (session.readOnly || !session.project.isOpen) return
    try {
      const changes = session.project.changeCount()
      if (changes === this.changesAtBackup || (changes === 0 && this.changesAtBackup === -1 && hasBackups(session.project.dir))) return
      await backupProject(session.project)
      this.changesAtBackup = changes
    } catch (error) {
      this.options.log(`[studio] cannot back up ${session.project.file}`, error)
    }
  }

  async close(): Promise<void> {
    await this.closeProject()
    await this.jobs.shutdown()
    await this.models.close()
  }

  private attach(project: Project, isDemo: boolean, readOnly: ReadOnlyState | null): ProjectSession {
    const session: ProjectSession = {
      project,
      isDemo,
      media: new MediaCache(project.cacheDir),
      segment: new SegmentService(project, () => this.models.runtime()),
      readOnly,
      // Checked off the event loop (over a second on a 100k-image project); writes wait for it.
      checked: readOnly ? Promise.resolve() : checkDatabaseFile(project.file).then((check) => this.checkedFile(session, check)),
    }
    this.session = session
    this.changesAtBackup = -1
    void this.recent.touch(project.dir, path.basename(project.dir)).catch((error) => this.options.log('[studio] cannot update recent projects', error))
    this.options.events.emit('project:changed', this.summary(session))
    this.models.warmUp()
    if (!readOnly) {
      void session.checked.then(() => this.resumeJobs(session))
      this.backupTimer = setInterval(() => void this.backup(session), BACKUP_EVERY_MS)
      this.backupTimer.unref()
    }
    return session
  }

  private checkedFile(session: ProjectSession, check: { ok: boolean; detail: string }): void {
    if (check.ok || this.session !== session) return
    session.readOnly = { reason: 'damaged', message: damagedFileMessage(session.project.file, check.detail) }
    this.options.log(`[studio] ${session.readOnly.message}`)
    this.options.events.emit('project:changed', this.summary(session))
  }

  /** Picks up queued or interrupted propagation jobs, one after the other (writable sessions only). */
  private async resumeJobs(session: ProjectSession): Promise<void> {
    if (session.readOnly || this.session !== session) return
    for (const job of session.project.runs.resumable()) {
      if (this.session !== session) return
      // A tracking run is not an image propagation: it ends here; tracking again stores what is missing.
      if ((job.params as { tracking?: unknown } | null)?.tracking === true) {
        session.project.runs.cancel(job.id)
        continue
      }
      try {
        await this.jobs.wait(this.startPropagation(session, job).id)
      } catch (error) {
        this.options.log(`[studio] cannot resume job ${job.id}`, error)
      }
    }
  }

  propagationKey(session: ProjectSession): string {
    return `propagation:${session.project.dir}`
  }

  /** Runs (or resumes) a stored propagation job as a background job; one per project at a time. */
  startPropagation(session: ProjectSession, job: PropagationRun) {
    const { project } = session
    const events = this.options.events
    let jobId = ''
    const info = this.jobs.start({
      kind: 'propagation',
      label: `Propagate (${job.method === 'persam' ? 'PerSAM' : 'PerSAM-F'}) to ${job.total} images`,
      total: job.total,
      exclusiveKey: this.propagationKey(session),
      run: async (context) => {
        context.progress(job.done + job.failed, job.total)
        const runtime = await this.models.runtime()
        const propagationEvents: PropagationEvents = {
          onProposals: (annotations, imageId) => {
            if (this.session?.project !== project) return
            for (const annotation of annotations) events.emit('proposal:added', { jobId, annotation: annotationInfo(project, annotation) })
            // Also without new proposals: the image's earlier proposals may have been replaced.
            events.emit('annotation:changed', { imageIds: [imageId], reason: 'propagation' })
          },
        }
        // With a queue configured (queue.json or PERSAM_QUEUE_URL) the images go to queue workers.
        const queued = await runQueuedPropagationIfConfigured(this.options.dataDir, this.models, project, runtime, job, context, propagationEvents, (m) => this.options.log(`[queue] ${m}`))
        const report = queued ?? (await runPropagationJob(project, runtime, job, context, propagationEvents))
        return { ...report }
      },
    })
    jobId = info.id
    return info
  }
}

/** Why a project opened read-only on request is read-only: another process's live lock, if any. */
function readOnlyReason(projectDir: string): ReadOnlyState {
  const holder = readLock(path.join(projectDir, LOCK_FILE))
  if (holder && !isStale(holder, Date.now(), DEFAULT_STALE_AFTER_MS)) return { reason: 'locked', message: `it is open in ${describeHolder(holder)}` }
  return { reason: 'requested', message: 'it was opened read-only' }
}
