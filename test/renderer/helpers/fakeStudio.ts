/**
 * An in-memory studio core implementing the contract's types, for editor tests: it keeps images,
 * categories and annotations, answers every channel the editor uses, records every request,
 * can hold replies back (to reorder them) and can fail a channel once.
 */
import type { EventChannel, EventPayloadOf, InvokeChannel, RequestOf, ResponseOf } from '../../../src/common/ipc/contract'
import { StudioError } from '../../../src/common/ipc/result'
import type {
  AnnotationInfo,
  CatalogModel,
  Category,
  ImageDetail,
  ImageListItem,
  ImageState,
  InstalledModel,
  JobInfo,
  ModelState,
  ProjectSummary,
  RleMask,
  SegmentPreview,
} from '../../../src/common/ipc/types'
import type { StudioApi } from '../../../src/renderer/src/editor/api'
import { FakeHistory } from './fakeHistory'
import { rleArea, rleBbox, decompressRle } from '../../../src/common/mask'
import { boxArea, boxMask, boxOfMask, type PixelBox } from './fakeMasks'

export interface FakeImage {
  readonly id: number
  readonly fileName: string
  readonly width: number
  readonly height: number
}

type Handler = (request: never) => unknown

interface HeldCall {
  readonly channel: InvokeChannel
  readonly release: () => void
}

export const DEMO_PROJECT: ProjectSummary = {
  projectDir: '/projects/demo',
  name: 'Demo',
  imagesRoot: '/projects/demo/images',
  imageCount: 0,
  annotationCount: 0,
  isDemo: true,
  readOnly: null,
}

export class FakeStudio implements StudioApi {
  readonly calls: { channel: InvokeChannel; request: unknown }[] = []
  images: FakeImage[] = []
  categories: Omit<Category, 'annotationCount' | 'referenceCount'>[] = []
  readonly annotations = new Map<number, AnnotationInfo>()
  readonly jobs = new Map<string, JobInfo>()
  /** As the core: every stored change is announced (annotation:changed, then history:changed), whoever asked for it. */
  readonly history = new FakeHistory(this.annotations, (state, imageIds, reason) => {
    this.emit('annotation:changed', { imageIds, reason })
    this.emit('history:changed', state)
  })
  project: ProjectSummary | null = null
  installedModels: InstalledModel[] = [{ id: 'toy', name: 'Toy SAM', family: 'toy', isToy: true, hasPersamDecoder: true, sizeBytes: 1000, licence: 'Apache-2.0' }]
  catalog: Omit<CatalogModel, 'installed'>[] = [{ id: 'sam-vit-b', name: 'SAM ViT-B', family: 'sam', downloadBytes: 375_000_000, verified: true, licence: 'Apache-2.0', notes: '' }]
  modelState: ModelState = { activeModelId: 'toy', loadState: 'ready', requestedProvider: 'auto', activeProvider: 'cpu', attempts: [], error: null }
  /** How many images project:create's import job announces. */
  importTotal = 0
  /** The calibration the fake core reports: the prior (scores as they are) with this absent threshold; absentThreshold's answer for any miss rate. */
  calibrationThreshold = 0.5
  absentThresholdAnswer: { threshold: number | null; decisions: number; present: number; missed: number } = { threshold: null, decisions: 0, present: 0, missed: 0 }
  private readonly listeners = new Map<string, Set<(payload: never) => void>>()
  private readonly held = new Set<InvokeChannel>()
  private readonly heldCalls: HeldCall[] = []
  private readonly failures = new Map<InvokeChannel, StudioError>()
  private readonly previews = new Map<string, { imageId: number; masks: RleMask[] }>()
  /** Optional stand-in for SAM: candidate masks for a request, or null to fall back to boxes around the prompts. */
  segmenter: ((request: RequestOf<'segment:preview'>) => RleMask[] | null) | null = null
  private nextId = 1
  private nextJob = 1

  constructor(options: { images?: number; width?: number; height?: number } = {}) {
    const count = options.images ?? 5
    for (let i = 1; i <= count; i++) {
      this.images.push({ id: i, fileName: `img_${String(i).padStart(3, '0')}.jpg`, width: options.width ?? 400, height: options.height ?? 300 })
    }
    this.categories.push({ id: 1, name: 'dog', color: '#4f9cf9' })
    this.nextId = 100
  }

  // StudioApi ------------------------------------------------------------------------------------

  call<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    this.calls.push({ channel, request })
    const failure = this.failures.get(channel)
    if (failure) {
      this.failures.delete(channel)
      return Promise.reject(failure)
    }
    const handler = (this.handlers as Record<string, Handler | undefined>)[channel]
    const run = async (): Promise<ResponseOf<C>> => {
      if (!handler) throw new StudioError('internal', `"${channel}" is not available in this build yet`)
      return handler(request as never) as ResponseOf<C>
    }
    if (!this.held.has(channel)) return run()
    return new Promise((resolve, reject) => {
      this.heldCalls.push({ channel, release: () => run().then(resolve, reject) })
    })
  }

  on<E extends EventChannel>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void {
    const set = this.listeners.get(event) ?? new Set()
    set.add(listener as (payload: never) => void)
    this.listeners.set(event, set)
    return () => set.delete(listener as (payload: never) => void)
  }

  // Test controls ----------------------------------------------------------------------------------

  emit<E extends EventChannel>(event: E, payload: EventPayloadOf<E>): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (p: EventPayloadOf<E>) => void)(payload)
  }

  listenerCount(event: EventChannel): number {
    return this.listeners.get(event)?.size ?? 0
  }

  /** Replies on `channel` wait until released (in any order) with `release`. */
  hold(channel: InvokeChannel): void {
    this.held.add(channel)
  }

  heldCount(channel: InvokeChannel): number {
    return this.heldCalls.filter((call) => call.channel === channel).length
  }

  /** Releases the held call at `index` among those of `channel` (0 = oldest). */
  release(channel: InvokeChannel, index = 0): void {
    const ofChannel = this.heldCalls.filter((call) => call.channel === channel)
    const call = ofChannel[index]
    if (!call) throw new Error(`no held ${channel} call at ${index}`)
    this.heldCalls.splice(this.heldCalls.indexOf(call), 1)
    call.release()
  }

  releaseAll(channel: InvokeChannel): void {
    this.held.delete(channel)
    while (this.heldCount(channel) > 0) this.release(channel, 0)
  }

  failNext(channel: InvokeChannel, error: StudioError): void {
    this.failures.set(channel, error)
  }

  requestsTo<C extends InvokeChannel>(channel: C): RequestOf<C>[] {
    return this.calls.filter((call) => call.channel === channel).map((call) => call.request as RequestOf<C>)
  }

  private pendingProposals(categoryId: number): AnnotationInfo[] {
    return [...this.annotations.values()].filter((a) => a.categoryId === categoryId && a.status === 'proposed')
  }

  addAnnotation(partial: Partial<AnnotationInfo> & { imageId: number; box?: PixelBox }): AnnotationInfo {
    const image = this.image(partial.imageId)
    const box = partial.box ?? { x0: 10, y0: 10, x1: 60, y1: 50 }
    const annotation: AnnotationInfo = {
      id: this.nextId++,
      categoryId: 1,
      status: 'accepted',
      source: 'manual',
      score: null,
      isReference: false,
      mask: boxMask(box, image.width, image.height),
      bbox: [box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0],
      area: boxArea(box),
      modelId: 'toy',
      details: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      ...partial,
    }
    this.annotations.set(annotation.id, annotation)
    return annotation
  }

  /** Runs a queued propagation: one proposal per image in `scores` (by image id), with `masks` where given. */
  runPropagation(jobId: string, scores: Record<number, number>, masks: Record<number, RleMask> = {}): AnnotationInfo[] {
    const job = this.jobs.get(jobId)
    if (!job) throw new Error(`no job ${jobId}`)
    const added: AnnotationInfo[] = []
    for (const [imageId, score] of Object.entries(scores)) {
      const mask = masks[Number(imageId)]
      const annotation = this.addAnnotation({
        imageId: Number(imageId),
        status: 'proposed',
        source: 'persam-f',
        score,
        ...(mask ? maskFields(mask) : { box: { x0: 100, y0: 80, x1: 220, y1: 200 } }),
      })
      added.push(annotation)
      this.emit('proposal:added', { jobId, annotation })
    }
    this.finishJob(jobId, { images: added.length, proposals: added.length, absent: 0, failed: [], secondsPerImage: 0.5 })
    return added
  }

  /** A progress report of a running job (the next revision), pushed as the core does. */
  progress(jobId: string, patch: Partial<Pick<JobInfo, 'done' | 'total' | 'rate' | 'etaSeconds' | 'state' | 'finishedAt' | 'error'>>): JobInfo {
    const job = this.jobs.get(jobId)
    if (!job) throw new Error(`no job ${jobId}`)
    const next: JobInfo = { ...job, ...patch, revision: job.revision + 1 }
    this.jobs.set(jobId, next)
    this.emit('job:progress', next)
    return next
  }

  finishJob(jobId: string, report: Record<string, unknown> | null, state: JobInfo['state'] = 'done'): JobInfo {
    const job = this.jobs.get(jobId)
    if (!job) throw new Error(`no job ${jobId}`)
    const done: JobInfo = { ...job, state, revision: job.revision + 1, done: state === 'done' ? job.total : job.done, finishedAt: '2026-01-01T00:01:00.000Z', report, etaSeconds: state === 'done' ? 0 : null }
    this.jobs.set(jobId, done)
    this.emit('job:progress', done)
    return done
  }

  image(imageId: number): FakeImage {
    const image = this.images.find((i) => i.id === imageId)
    if (!image) throw new StudioError('not-found', `image ${imageId} does not exist`)
    return image
  }

  // Handlers -------------------------------------------------------------------------------------

  private readonly handlers: { [C in InvokeChannel]?: (request: RequestOf<C>) => ResponseOf<C> } = {
    'app:info': () => ({
      version: '0.1.0',
      platform: 'linux',
      arch: 'x64',
      nodeVersion: 'v20',
      electronVersion: null,
      host: 'browser',
      onnxruntime: { version: '1.30.0', executionProviders: [{ name: 'cpu', bundled: true }] },
    }),
    'model:state': () => this.modelState,
    'model:list': () => ({
      installed: this.installedModels,
      catalog: this.catalog.map((entry) => ({ ...entry, installed: this.installedModels.some((m) => m.id === entry.id) })),
    }),
    'queue:workers': () => ({ url: null, workers: [], problem: null, checkedAt: Date.now() }),
    'model:providers': () => [
      { name: 'cuda', available: false, reason: 'no CUDA 12 runtime found' },
      { name: 'dml', available: false, reason: 'not Windows' },
      { name: 'coreml', available: false, reason: 'not macOS' },
      { name: 'cpu', available: true, reason: null },
    ],
    /** As a model manager would: the download is a job counting bytes. */
    'model:install': ({ catalogId }) => {
      const entry = this.catalog.find((m) => m.id === catalogId)
      if (!entry) throw new StudioError('not-found', `no catalog model "${catalogId}"`)
      return this.startJob('model-install', `Download ${entry.name}`, entry.downloadBytes)
    },
    'model:import': ({ path }) => {
      const id = path.split('/').filter(Boolean).at(-1) ?? 'imported'
      const model: InstalledModel = { id, name: id, family: 'sam', isToy: false, hasPersamDecoder: false, sizeBytes: 40_000_000, licence: 'unknown' }
      this.installedModels = [...this.installedModels, model]
      return model
    },
    'model:remove': ({ modelId }) => {
      const model = this.installedModels.find((m) => m.id === modelId)
      if (!model) throw new StudioError('not-found', `no installed model "${modelId}"`)
      if (model.isToy) throw new StudioError('invalid-input', 'the bundled toy model cannot be removed')
      this.installedModels = this.installedModels.filter((m) => m.id !== modelId)
      return null
    },
    'model:select': ({ modelId }) => {
      if (!this.installedModels.some((m) => m.id === modelId)) throw new StudioError('not-found', `no installed model "${modelId}"`)
      this.modelState = { ...this.modelState, activeModelId: modelId, loadState: 'unloaded', activeProvider: null, attempts: [] }
      return this.modelState
    },
    'model:setProvider': ({ provider }) => {
      const works = provider === 'cpu' || provider === 'auto'
      this.modelState = {
        ...this.modelState,
        requestedProvider: provider,
        activeProvider: 'cpu',
        attempts: works ? [{ provider: 'cpu', ok: true, error: null }] : [{ provider, ok: false, error: `${provider} is not available here` }, { provider: 'cpu', ok: true, error: null }],
      }
      return this.modelState
    },
    'category:update': ({ categoryId, name, color }) => {
      const category = this.categories.find((c) => c.id === categoryId)
      if (!category) throw new StudioError('not-found', `category ${categoryId} does not exist`)
      Object.assign(category, name ? { name } : {}, color ? { color } : {})
      return this.categoryList().find((c) => c.id === categoryId)!
    },
    'category:delete': ({ categoryId, confirmAnnotationCount }) => {
      const owned = [...this.annotations.values()].filter((a) => a.categoryId === categoryId)
      if (owned.length !== confirmAnnotationCount) {
        throw new StudioError('conflict', `the category has ${owned.length} annotations, not ${confirmAnnotationCount}: look again before deleting`)
      }
      owned.forEach((a) => this.annotations.delete(a.id))
      this.categories = this.categories.filter((c) => c.id !== categoryId)
      return { deletedAnnotations: owned.length }
    },
    'project:recent': () => [],
    'project:current': () => this.project,
    'project:openDemo': () => (this.project = { ...DEMO_PROJECT, imageCount: this.images.length }),
    'project:open': ({ projectDir, readOnly }) =>
      (this.project = { ...DEMO_PROJECT, projectDir, isDemo: false, imageCount: this.images.length, readOnly: readOnly ? { reason: 'requested', message: 'it was opened read-only' } : null }),
    /** The import job's total is the number of images the test prepared; `images` fills as the test decides. */
    'project:create': ({ imagesRoot, name, projectDir }) => {
      const project = { projectDir: projectDir ?? `${imagesRoot}/.persam`, name: name ?? 'Untitled', imagesRoot, imageCount: 0, annotationCount: 0, isDemo: false, readOnly: null }
      this.project = project
      return { project, importJob: this.startJob('import', `Import ${imagesRoot}`, this.importTotal) }
    },
    'project:close': () => {
      this.project = null
      return null
    },
    'history:state': () => this.history.state(),
    'history:undo': () => this.history.undo(),
    'history:redo': () => this.history.redo(),
    'job:list': () => [...this.jobs.values()],
    'category:list': () => this.categoryList(),
    'category:create': ({ name, color }) => {
      const category = { id: this.nextId++, name, color: color ?? '#ffffff' }
      this.categories.push(category)
      return { ...category, annotationCount: 0, referenceCount: 0 }
    },
    'image:list': (request) => this.imageList(request),
    'image:get': ({ imageId }) => this.imageDetail(imageId),
    'segment:prefetch': ({ imageIds }) => ({ queued: imageIds.length }),
    'segment:preview': (request) => this.preview(request),
    'segment:commit': ({ previewId, candidate, categoryId, replaceAnnotationId }) => {
      const preview = this.previews.get(previewId)
      const mask = preview?.masks[candidate]
      if (!preview || !mask) throw new StudioError('not-found', `preview ${previewId} candidate ${candidate} does not exist`)
      const replaced = replaceAnnotationId !== undefined ? this.annotations.get(replaceAnnotationId) : undefined
      return this.history.record(replaced ? 'Correct mask' : 'Add mask', [preview.imageId], () => {
        if (replaced) {
          const edited: AnnotationInfo = { ...replaced, ...maskFields(mask), status: 'edited', categoryId }
          this.annotations.set(edited.id, edited)
          return edited
        }
        return this.addAnnotation({ imageId: preview.imageId, categoryId, ...maskFields(mask) })
      })
    },
    /** As the core: a stroke on an annotation makes it 'edited'; on an image with a category, a brush stroke makes a new 'accepted' one. */
    'annotation:stroke': ({ annotationId, imageId, categoryId, mode, points, radius }) => {
      const label = mode === 'brush' ? 'Brush stroke' : 'Eraser stroke'
      if (annotationId === undefined) {
        const image = this.image(imageId!)
        if (mode === 'eraser') throw new StudioError('invalid-input', 'the stroke would leave an empty mask; delete the annotation instead')
        const box = strokeBox(points, radius)
        return this.history.record(label, [image.id], () => this.addAnnotation({ imageId: image.id, categoryId: categoryId!, box }))
      }
      const annotation = this.existing(annotationId)
      const box = boxOfMask(annotation.mask!)
      const stroke = strokeBox(points, radius)
      const grown: PixelBox =
        mode === 'brush'
          ? { x0: Math.min(box.x0, stroke.x0), y0: Math.min(box.y0, stroke.y0), x1: Math.max(box.x1, stroke.x1), y1: Math.max(box.y1, stroke.y1) }
          : box
      const image = this.image(annotation.imageId)
      const mask = boxMask(grown, image.width, image.height)
      const area = mode === 'brush' ? boxArea(boxOfMask(mask)) : annotation.area - points.length * radius
      if (area <= 0) throw new StudioError('invalid-input', 'the stroke would leave an empty mask; delete the annotation instead')
      return this.history.record(label, [annotation.imageId], () => {
        const updated: AnnotationInfo = { ...annotation, mask, area, status: 'edited', bbox: [grown.x0, grown.y0, grown.x1 - grown.x0, grown.y1 - grown.y0] }
        this.annotations.set(annotationId, updated)
        return updated
      })
    },
    'annotation:review': ({ annotationId, action }) => {
      const annotation = this.existing(annotationId)
      const label = { accept: 'Accept', reject: 'Reject', absent: 'Absent', delete: 'Delete annotation' }[action]
      return this.history.record(label, [annotation.imageId], () => {
        if (action === 'delete') {
          this.annotations.delete(annotationId)
          return null
        }
        const status = ({ accept: 'accepted', reject: 'rejected', absent: 'absent' } as const)[action]
        const updated: AnnotationInfo = { ...annotation, status }
        this.annotations.set(annotationId, updated)
        return updated
      })
    },
    'annotation:setReference': ({ annotationId, isReference }) => {
      const annotation = this.existing(annotationId)
      if (isReference && !annotation.mask) throw new StudioError('invalid-input', 'an "absent" marker has no mask to use as reference')
      return this.history.record(isReference ? 'Set as reference' : 'Unset reference', [annotation.imageId], () => {
        const updated = { ...annotation, isReference }
        this.annotations.set(annotationId, updated)
        return updated
      })
    },
    'annotation:markImageAbsent': ({ imageId, categoryId }) =>
      this.history.record('Mark absent', [imageId], () => this.addAnnotation({ imageId, categoryId, status: 'absent', mask: null, bbox: null, area: 0 })),
    /** As the core with the prior in use: pending proposals binned by score; "accept all" is one history step. */
    'calibration:histogram': ({ categoryId, bins: requested, acceptAbove }) => {
      const bins = requested ?? 20
      const scores = this.pendingProposals(categoryId).map((a) => a.score ?? 0)
      const counts = new Array<number>(bins).fill(0)
      for (const score of scores) counts[Math.min(bins - 1, Math.floor(score * bins))]!++
      const above = scores.filter((s) => s >= this.calibrationThreshold).length
      const at = acceptAbove ?? this.calibrationThreshold
      const chosen = scores.filter((s) => s >= at)
      return {
        counts,
        threshold: this.calibrationThreshold,
        above,
        below: scores.length - above,
        kind: 'prior',
        accuracy: null,
        decisions: [...this.annotations.values()].filter((a) => a.categoryId === categoryId && a.status !== 'proposed').length,
        report: { reason: "the engine's confidence: 0 of 10 decisions so far", heldOutAuroc: null, priorAuroc: null, heldOutBrier: null, priorBrier: null, ordersReview: false },
        acceptAbove: at,
        acceptAll: { accepted: chosen.length, expectedWrong: chosen.reduce((sum, s) => sum + (1 - s), 0) },
      }
    },
    'calibration:acceptAll': ({ categoryId, threshold }) => {
      const chosen = this.pendingProposals(categoryId).filter((a) => (a.score ?? 0) >= threshold)
      if (chosen.length === 0) return { accepted: 0, expectedWrong: 0 }
      return this.history.record(`Accept ${chosen.length} at or above ${threshold.toFixed(2)}`, [...new Set(chosen.map((a) => a.imageId))], () => {
        for (const a of chosen) this.annotations.set(a.id, { ...a, status: 'accepted' })
        return { accepted: chosen.length, expectedWrong: chosen.reduce((sum, a) => sum + (1 - (a.score ?? 0)), 0) }
      })
    },
    'calibration:absentThreshold': ({ missRate }) => ({ missRate, ...this.absentThresholdAnswer }),
    'propagation:start': ({ categoryId, method }) => {
      if (!this.categoryList().some((c) => c.id === categoryId && c.referenceCount > 0)) {
        throw new StudioError('invalid-input', 'the category has no reference mask: mark the object and use it as reference first')
      }
      if ([...this.jobs.values()].some((j) => j.kind === 'propagation' && (j.state === 'running' || j.state === 'queued'))) {
        throw new StudioError('conflict', 'a propagation is still running; cancel it or wait for it to finish')
      }
      return this.startJob('propagation', `Propagate (${method === 'persam' ? 'PerSAM' : 'PerSAM-F'}) to ${this.images.length} images`, this.images.length)
    },
    /** As the core: the answer is the job as it is (still running); its end comes as a job:progress event. */
    'job:cancel': ({ jobId }) => {
      const job = this.jobs.get(jobId)
      if (!job) throw new StudioError('not-found', `no job ${jobId}`)
      if (job.state === 'running' || job.state === 'queued') queueMicrotask(() => this.finishJob(jobId, null, 'cancelled'))
      return job
    },
    'exchange:export': ({ format, path }) => this.startJob('export', `Export ${format} to ${path}`, 1),
  }

  /** As the core's job manager: the first report (revision 1) is pushed as an event before the start request answers. */
  private startJob(kind: JobInfo['kind'], label: string, total: number): JobInfo {
    const job: JobInfo = {
      id: `job-${this.nextJob++}`,
      kind,
      state: 'running',
      revision: 1,
      label,
      done: 0,
      total,
      rate: 0,
      etaSeconds: null,
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: null,
      error: null,
      report: null,
    }
    this.jobs.set(job.id, job)
    this.emit('job:progress', job)
    return job
  }

  private existing(annotationId: number): AnnotationInfo {
    const annotation = this.annotations.get(annotationId)
    if (!annotation) throw new StudioError('not-found', `annotation ${annotationId} does not exist`)
    return annotation
  }

  private categoryList(): Category[] {
    const all = [...this.annotations.values()]
    return this.categories.map((c) => ({
      ...c,
      annotationCount: all.filter((a) => a.categoryId === c.id).length,
      referenceCount: all.filter((a) => a.categoryId === c.id && a.isReference).length,
    }))
  }

  private preview(request: RequestOf<'segment:preview'>): SegmentPreview {
    const image = this.image(request.imageId)
    const positives = request.points.filter((p) => p.positive)
    const xs = positives.map((p) => p.x).concat(request.box ? [request.box.x0, request.box.x1] : [])
    const ys = positives.map((p) => p.y).concat(request.box ? [request.box.y0, request.box.y1] : [])
    const core: PixelBox = { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs) + 1, y1: Math.max(...ys) + 1 }
    const masks =
      this.segmenter?.(request) ??
      [4, 12, 30].map((grow) => boxMask({ x0: core.x0 - grow, y0: core.y0 - grow, x1: core.x1 + grow, y1: core.y1 + grow }, image.width, image.height))
    const previewId = `preview-${request.requestId}`
    this.previews.set(previewId, { imageId: image.id, masks })
    return {
      requestId: request.requestId,
      previewId,
      candidates: masks.map((mask, index) => ({ mask, score: 0.9 - index * 0.1, area: maskFields(mask).area })),
      recommended: 1,
      timings: { embeddingMs: 0, decoderMs: 1, totalMs: 1 },
      embeddingSource: 'memory',
    }
  }

  private imageState(imageId: number): { state: ImageState; count: number; minScore: number | null } {
    const annotations = [...this.annotations.values()].filter((a) => a.imageId === imageId)
    const proposals = annotations.filter((a) => a.status === 'proposed')
    const minScore = proposals.length > 0 ? Math.min(...proposals.map((a) => a.score ?? 0)) : null
    let state: ImageState = 'reviewed'
    if (annotations.length === 0) state = 'unlabeled'
    else if (proposals.length > 0) state = 'to-review'
    else if (annotations.every((a) => a.status === 'absent')) state = 'absent'
    return { state, count: annotations.length, minScore }
  }

  private item(image: FakeImage): ImageListItem {
    const { state, count, minScore } = this.imageState(image.id)
    // A stand-in for the file's SHA-256: distinct per image, the shape media URLs expect.
    const contentHash = image.id.toString(16).padStart(8, '0').repeat(8)
    return { ...image, contentHash, state, annotationCount: count, minScore }
  }

  private imageList(request: RequestOf<'image:list'>): ResponseOf<'image:list'> {
    let items = this.images.map((image) => this.item(image))
    if (request.state) items = items.filter((item) => item.state === request.state)
    if (request.categoryId !== undefined) {
      items = items.filter((item) => [...this.annotations.values()].some((a) => a.imageId === item.id && a.categoryId === request.categoryId))
    }
    if (request.order === 'review') items.sort((a, b) => (a.minScore ?? 2) - (b.minScore ?? 2) || a.id - b.id)
    const all = this.images.map((image) => this.item(image))
    const imageCounts = { unlabeled: 0, 'to-review': 0, reviewed: 0, absent: 0 }
    for (const item of all) imageCounts[item.state]++
    const annotationCounts = { proposed: 0, accepted: 0, rejected: 0, edited: 0, absent: 0 }
    for (const a of this.annotations.values()) annotationCounts[a.status]++
    return { total: items.length, offset: request.offset, items: items.slice(request.offset, request.offset + request.limit), imageCounts, annotationCounts }
  }

  private imageDetail(imageId: number): ImageDetail {
    const image = this.image(imageId)
    return {
      image: { ...this.item(image), relativePath: image.fileName },
      annotations: [...this.annotations.values()].filter((a) => a.imageId === imageId),
    }
  }
}


/** The box a stroke of this radius covers (exclusive ends). */
function strokeBox(points: readonly { x: number; y: number }[], radius: number): PixelBox {
  return {
    x0: Math.min(...points.map((p) => p.x - radius)),
    y0: Math.min(...points.map((p) => p.y - radius)),
    x1: Math.max(...points.map((p) => p.x + radius)),
    y1: Math.max(...points.map((p) => p.y + radius)),
  }
}

/** What an annotation stores about a mask: the mask, its box and area (as the core computes them). */
export function maskFields(mask: RleMask): { mask: RleMask; bbox: readonly [number, number, number, number]; area: number } {
  const runs = decompressRle(mask)
  const [x, y, w, h] = rleBbox(runs)
  return { mask, bbox: [x, y, w, h], area: rleArea(runs) }
}
