/**
 * Loads what the core knows into the document state: core info, the project, categories, pages
 * of the image list (on demand, as the list scrolls) and the open image. Replies that arrive
 * after a newer request for the same thing are dropped.
 */
import type { RequestOf } from '../../../../common/ipc/contract'
import { StudioError } from '../../../../common/ipc/result'
import type { ImageListItem, ProjectSummary } from '../../../../common/ipc/types'
import { describeError } from '../api'
import type { Editor } from '../Editor'
import { coalesced } from '../coalesce'
import { IMAGE_PAGE_SIZE, type ImageFilter, type ImagesState } from '../state'

/** How many images after the open one get their embeddings computed ahead of time. */
const PREFETCH_AHEAD = 2

export class DocumentManager {
  private openRequest = 0
  private listGeneration = 0
  private readonly loadingPages = new Set<string>()
  private visibleRange: { start: number; end: number } = { start: 0, end: IMAGE_PAGE_SIZE }

  constructor(private readonly editor: Editor) {}

  async loadCoreInfo(): Promise<void> {
    const { api } = this.editor
    await Promise.all([
      api.call('app:info', {}).then(
        (app) => this.editor.updateDoc((doc) => ({ core: { ...doc.core, app, appError: null } })),
        (error: unknown) => this.editor.updateDoc((doc) => ({ core: { ...doc.core, appError: describeError(error) } })),
      ),
      this.editor.models.load(),
      this.editor.attempt('Reading recent projects', async () => {
        const recent = await api.call('project:recent', {})
        this.editor.updateDoc((doc) => ({ core: { ...doc.core, recent } }))
      }),
    ])
  }

  /** Asks whether a project is already open (the core outlives page reloads in browser mode). */
  async loadCurrentProject(): Promise<void> {
    const project = await this.editor.attempt('Reading the open project', () => this.editor.api.call('project:current', {}))
    if (project) await this.adoptProject(project)
  }

  /** Opens for writing, or read-only; a refusal because the project is locked or damaged is kept for the welcome screen to offer a way on. */
  openProject(projectDir: string, readOnly = false): Promise<void> {
    this.editor.updateSession({ openRefusal: null })
    return this.openWith(readOnly ? 'Opening the project read-only' : 'Opening the project', () =>
      this.editor.api.call('project:open', readOnly ? { projectDir, readOnly } : { projectDir }).catch((error: unknown) => {
        if (error instanceof StudioError && (error.code === 'locked' || error.code === 'damaged')) {
          this.editor.updateSession({ openRefusal: { projectDir, code: error.code, message: error.message } })
        }
        throw error
      }),
    )
  }

  /** The photo demo, or the demo video (a frame sequence ready to track). */
  openDemo(which: 'photos' | 'sequence' = 'photos'): Promise<void> {
    if (which === 'photos') return this.openWith('Opening the demo project', () => this.editor.api.call('project:openDemo', {}))
    return this.openWith('Opening the demo video', () => this.editor.api.call('project:openDemo', { which }))
  }

  /** `options` as a string is the project's name; else also where it goes and annotations to import with it. */
  async createProject(imagesRoot: string, options: string | Omit<RequestOf<'project:create'>, 'imagesRoot'> = {}): Promise<void> {
    const extra = typeof options === 'string' ? { name: options } : options
    const request: RequestOf<'project:create'> = { imagesRoot }
    for (const [key, value] of Object.entries(extra)) if (value !== undefined) Object.assign(request, { [key]: value })
    await this.openWith('Creating the project', async () => {
      const { project, importJob } = await this.editor.api.call('project:create', request)
      this.editor.jobs.track(importJob)
      return project
    })
  }

  async closeProject(): Promise<void> {
    await this.editor.attempt('Closing the project', () => this.editor.api.call('project:close', {}))
    this.editor.resetForProject(null)
    await this.editor.attempt('Reading recent projects', async () => {
      const recent = await this.editor.api.call('project:recent', {})
      this.editor.updateDoc((doc) => ({ core: { ...doc.core, recent } }))
    })
  }

  private async openWith(what: string, open: () => Promise<ProjectSummary>): Promise<void> {
    const project = await this.editor.attempt(what, open)
    if (project) await this.adoptProject(project)
  }

  /**
   * Shows `project`. The core announces an opened project (project:changed) and answers the
   * request that opened it, in either order, and announces it again when its import fills it:
   * the same project is then re-read, not reset, so the view never flickers back to empty.
   */
  async adoptProject(project: ProjectSummary | null): Promise<void> {
    const current = this.editor.doc.project
    if (project && current && project.projectDir === current.projectDir) this.editor.updateDoc({ project })
    else this.editor.resetForProject(project)
    if (!project) return
    await Promise.all([this.loadCategories(), this.reloadImagePages(), this.editor.history.load()])
    const first = this.itemAt(0)
    if (first && !this.editor.doc.image && this.editor.session.loadingImageId === null) await this.openImage(first.id)
  }

  /** Reads the categories and their counts; calls during a read collapse into one more read. */
  readonly loadCategories = coalesced(async () => {
    const categories = await this.editor.attempt('Reading categories', () => this.editor.api.call('category:list', {}))
    if (!categories) return
    this.editor.store.batch(() => {
      this.editor.updateDoc({ categories })
      const active = this.editor.session.activeCategoryId
      if (active === null || !categories.some((c) => c.id === active)) {
        this.editor.updateSession({ activeCategoryId: categories[0]?.id ?? null })
      }
    })
  })

  async refreshProject(): Promise<void> {
    const project = await this.editor.attempt('Reading the open project', () => this.editor.api.call('project:current', {}))
    if (project) this.editor.updateDoc({ project })
  }

  // Image list -------------------------------------------------------------------------------

  itemAt(index: number): ImageListItem | null {
    const page = this.editor.doc.images.pages.get(Math.floor(index / IMAGE_PAGE_SIZE))
    return page?.[index % IMAGE_PAGE_SIZE] ?? null
  }

  indexOf(imageId: number): number {
    for (const [pageIndex, items] of this.editor.doc.images.pages) {
      const at = items.findIndex((item) => item.id === imageId)
      if (at >= 0) return pageIndex * IMAGE_PAGE_SIZE + at
    }
    return -1
  }

  async setFilter(filter: Partial<ImageFilter>): Promise<void> {
    this.editor.updateDoc((doc) => ({ images: { ...doc.images, filter: { ...doc.images.filter, ...filter }, pages: new Map(), total: 0 } }))
    this.visibleRange = { start: 0, end: IMAGE_PAGE_SIZE }
    // Pages of the previous filter still in flight are dropped.
    this.listGeneration++
    await this.reloadImagePages()
  }

  /** The list shows items start..end: load the pages that cover them and are not loaded yet. */
  async ensureRange(start: number, end: number): Promise<void> {
    this.visibleRange = { start, end }
    const { pages } = this.editor.doc.images
    const wanted = pageIndicesFor(start, end).filter((page) => !pages.has(page))
    await Promise.all(wanted.map((page) => this.loadPage(page, this.listGeneration)))
  }

  /**
   * The list changed in the core (review, propagation, undo): reload the visible pages and the
   * counts, as one coalesced refresh.
   */
  readonly reloadImagePages = coalesced(async () => {
    const generation = ++this.listGeneration
    this.loadingPages.clear()
    const fresh = new Map<number, readonly ImageListItem[]>()
    await Promise.all(pageIndicesFor(this.visibleRange.start, this.visibleRange.end).map((page) => this.loadPage(page, generation, fresh)))
    if (generation === this.listGeneration) this.editor.updateDoc((doc) => ({ images: { ...doc.images, pages: fresh } }))
  })

  private async loadPage(page: number, generation: number, into?: Map<number, readonly ImageListItem[]>): Promise<void> {
    const key = `${generation}:${page}`
    if (this.loadingPages.has(key)) return
    this.loadingPages.add(key)
    const { filter } = this.editor.doc.images
    const result = await this.editor.attempt('Listing images', () =>
      this.editor.api.call('image:list', {
        offset: page * IMAGE_PAGE_SIZE,
        limit: IMAGE_PAGE_SIZE,
        order: filter.order,
        ...(filter.state ? { state: filter.state } : {}),
        ...(filter.categoryId !== null ? { categoryId: filter.categoryId } : {}),
      }),
    )
    this.loadingPages.delete(key)
    if (!result || generation !== this.listGeneration) return
    into?.set(page, result.items)
    this.editor.updateDoc((doc) => {
      const images: ImagesState = {
        ...doc.images,
        total: result.total,
        imageCounts: result.imageCounts,
        annotationCounts: result.annotationCounts,
        pages: into ? doc.images.pages : new Map(doc.images.pages).set(page, result.items),
      }
      return { images }
    })
  }

  // The open image ---------------------------------------------------------------------------

  async openImage(imageId: number): Promise<boolean> {
    const request = ++this.openRequest
    this.editor.updateSession({ loadingImageId: imageId })
    const detail = await this.editor.attempt('Opening the image', () => this.editor.api.call('image:get', { imageId }))
    if (request !== this.openRequest) return false
    this.editor.updateSession({ loadingImageId: null })
    if (!detail) return false
    this.editor.store.batch(() => {
      this.editor.tools.cancelActive()
      this.editor.updateDoc({ image: detail })
      this.editor.updateSession({ prompts: null, draftBox: null, stroke: null, selectedAnnotationId: null, hoverAnnotationId: null })
      this.editor.camera.fit()
    })
    this.prefetchAfter(imageId)
    return true
  }

  /**
   * Reads the open image again (after undo, propagation, or a change made elsewhere). It never
   * overrides an image being opened, and calls during a read collapse into one more read.
   */
  readonly reloadImage = coalesced(async () => {
    const current = this.editor.doc.image
    if (!current || this.editor.session.loadingImageId !== null) return
    const opened = this.openRequest
    const detail = await this.editor.attempt('Reading the image', () => this.editor.api.call('image:get', { imageId: current.image.id }))
    if (!detail || opened !== this.openRequest || this.editor.doc.image?.image.id !== detail.image.id) return
    this.editor.store.batch(() => {
      this.editor.updateDoc({ image: detail })
      const selected = this.editor.session.selectedAnnotationId
      if (selected !== null && !detail.annotations.some((a) => a.id === selected)) this.editor.updateSession({ selectedAnnotationId: null })
    })
    this.editor.review.onImageReloaded(detail)
  })

  /** Opens the image `step` places away in the list (D / A, arrows). */
  async stepImage(step: 1 | -1): Promise<void> {
    const current = this.editor.doc.image
    const index = current ? this.indexOf(current.image.id) : -1
    const target = index < 0 ? 0 : index + step
    if (target < 0 || target >= this.editor.doc.images.total) return
    await this.ensureRange(target, target + 1)
    const item = this.itemAt(target)
    if (item) await this.openImage(item.id)
  }

  private prefetchAfter(imageId: number): void {
    const index = this.indexOf(imageId)
    if (index < 0) return
    const ids: number[] = []
    for (let i = index + 1; i <= index + PREFETCH_AHEAD; i++) {
      const item = this.itemAt(i)
      if (item) ids.push(item.id)
    }
    // An optimisation only: a failure here must not bother the user.
    if (ids.length > 0) this.editor.api.call('segment:prefetch', { imageIds: ids }).catch(() => undefined)
  }
}

function pageIndicesFor(start: number, end: number): number[] {
  const first = Math.max(0, Math.floor(start / IMAGE_PAGE_SIZE))
  const last = Math.max(first, Math.floor(Math.max(start, end - 1) / IMAGE_PAGE_SIZE))
  const pages: number[] = []
  for (let page = first; page <= last; page++) pages.push(page)
  return pages
}
