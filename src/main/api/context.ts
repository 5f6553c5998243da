/**
 * Everything a handler may touch: the open project (one at a time), the model, background jobs
 * and the event hub. Project lifecycle (create, open, demo, close) lives here so every host
 * (Electron, browser mode, tests) gets the same behaviour.
 */
import { existsSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import type { ProjectSummary } from '../../common/ipc/dto/project'
import type { ModelCatalog } from '../../common/models/catalog'
import { StudioError } from '../../common/ipc/result'
import { importImageFolder } from '../services/exchange/folderImport'
import { JobManager } from '../services/jobs/jobManager'
import { MediaCache } from '../services/media/mediaCache'
import { ActiveModel } from '../services/models/activeModel'
import { runPropagationJob, type PropagationEvents } from '../services/propagation/propagationJob'
import { runQueuedPropagationIfConfigured } from '../services/queue/studioQueue'
import { SegmentService } from '../services/segment/segmentService'
import { createProject, openProject, PROJECT_FILE, type Job, type Project } from '../services/store'
import type { AppHost } from '../services/system/appInfo'
import { resourcesDir } from '../services/system/paths'
import { RecentProjects } from '../services/system/recentProjects'
import { annotationInfo } from './dto'
import type { EventHub } from './events'
import type { DialogService } from './handlers'

export interface ProjectSession {
  readonly project: Project
  readonly isDemo: boolean
  readonly media: MediaCache
  readonly segment: SegmentService
}

export interface StudioContextOptions {
  readonly host: AppHost
  readonly dataDir: string
  readonly events: EventHub
  readonly dialogs?: DialogService
  readonly log: (message: string, error?: unknown) => void
  readonly modelCatalog?: ModelCatalog
}

export const TOY_MODEL_ID = 'toy-sam'
/** The object the bundled demo photos show (resources/demo). */
export const DEMO_CATEGORY = 'kite'

export class StudioContext {
  readonly jobs: JobManager
  readonly recent: RecentProjects
  private session: ProjectSession | null = null

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
    }
  }

  async openProject(projectDir: string, isDemo = false): Promise<ProjectSession> {
    await this.closeProject()
    const project = openProject(path.resolve(projectDir))
    return this.attach(project, isDemo)
  }

  async createProject(projectDir: string, imagesRoot: string, isDemo = false): Promise<ProjectSession> {
    if (!existsSync(imagesRoot)) throw new StudioError('not-found', `image folder ${imagesRoot} does not exist`)
    await this.closeProject()
    mkdirSync(projectDir, { recursive: true })
    const project = createProject(path.resolve(projectDir), { imagesRoot: path.resolve(imagesRoot) })
    return this.attach(project, isDemo)
  }

  /** The demo project lives in the data folder; its images stay in the bundled resources. */
  async openDemo(): Promise<{ session: ProjectSession; created: boolean }> {
    const dir = path.join(this.options.dataDir, 'demo-project')
    const images = path.join(resourcesDir(), 'demo', 'images')
    if (existsSync(path.join(dir, PROJECT_FILE))) {
      const session = await this.openProject(dir, true)
      if (session.project.imagesRoot !== images) session.project.setImagesRoot(images)
      return { session, created: false }
    }
    const session = await this.createProject(dir, images, true)
    await importImageFolder(session.project, images)
    session.project.categories.ensure({ name: DEMO_CATEGORY })
    this.options.events.emit('project:changed', this.summary(session))
    return { session, created: true }
  }

  async closeProject(): Promise<void> {
    const session = this.session
    if (!session) return
    this.session = null
    await this.jobs.shutdown()
    session.project.close()
    this.options.events.emit('project:changed', null)
  }

  async close(): Promise<void> {
    await this.closeProject()
    await this.jobs.shutdown()
    await this.models.close()
  }

  private attach(project: Project, isDemo: boolean): ProjectSession {
    const session: ProjectSession = {
      project,
      isDemo,
      media: new MediaCache(project.cacheDir),
      segment: new SegmentService(project, () => this.models.runtime()),
    }
    this.session = session
    void this.recent.touch(project.dir, path.basename(project.dir)).catch((error) => this.options.log('[studio] cannot update recent projects', error))
    this.options.events.emit('project:changed', this.summary(session))
    this.models.warmUp()
    void this.resumeJobs(session)
    return session
  }

  /** Picks up queued or interrupted propagation jobs, one after the other. */
  private async resumeJobs(session: ProjectSession): Promise<void> {
    for (const job of session.project.jobs.resumable()) {
      if (this.session !== session) return
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
  startPropagation(session: ProjectSession, job: Job) {
    const { project } = session
    const events = this.options.events
    let jobId = ''
    const info = this.jobs.start({
      kind: 'propagation',
      label: `Propagate (${job.kind === 'persam' ? 'PerSAM' : 'PerSAM-F'}) to ${job.total} images`,
      total: job.total,
      exclusiveKey: this.propagationKey(session),
      run: async (context) => {
        context.progress(job.done + job.failed, job.total)
        const runtime = await this.models.runtime()
        const propagationEvents: PropagationEvents = {
          onProposals: (annotations) => {
            if (this.session?.project !== project) return
            for (const annotation of annotations) events.emit('proposal:added', { jobId, annotation: annotationInfo(project, annotation) })
            const imageIds = [...new Set(annotations.map((a) => a.imageId))]
            if (imageIds.length > 0) events.emit('annotation:changed', { imageIds, reason: 'propagation' })
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
