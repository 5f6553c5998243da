/**
 * The editor: a framework-free object that owns the document and session state, the tools and
 * the managers, and talks to the studio core through the injected StudioApi. React panels and
 * the Konva canvas subscribe to `store` and call its methods; they own no annotation state.
 */
import type { ProjectSummary } from '../../../common/ipc/types'
import { describeError, isConnectionError, type ConnectionState, type StudioApi } from './api'
import { COMMANDS } from './commands'
import { subscribeToCore } from './coreEvents'
import type { ImagePoint, ScreenPoint } from './geometry'
import { hitTest, type MaskContains } from './hitTest'
import { matchShortcut, type KeyInput } from './keymap'
import { addNotice, withoutEndedNotices, type NoticeDraft } from './notices'
import { AnnotationManager } from './managers/AnnotationManager'
import { CalibrationController } from './managers/CalibrationController'
import { CameraController } from './managers/CameraController'
import { CategoryManager } from './managers/CategoryManager'
import { DocumentManager } from './managers/DocumentManager'
import { HistoryManager } from './managers/HistoryManager'
import { JobsController } from './managers/JobsController'
import { ModelsController } from './managers/ModelsController'
import { PromptManager } from './managers/PromptManager'
import { ReviewManager } from './managers/ReviewManager'
import { SequenceController } from './sequence/SequenceController'
import { initialState, type DialogId, type DocumentState, type EditorState, type SessionState } from './state'
import { Store } from './store'
import type { EditorPointerEvent } from './tools/Tool'
import { ToolManager } from './tools/ToolManager'

export interface EditorOptions {
  /** Point-in-mask test for hover and selection; without it, boxes are used. */
  readonly maskContains?: MaskContains
}

export class Editor {
  readonly store = new Store<EditorState>(initialState())
  readonly documents = new DocumentManager(this)
  readonly models = new ModelsController(this)
  readonly categories = new CategoryManager(this)
  readonly prompts = new PromptManager(this)
  readonly annotations = new AnnotationManager(this)
  readonly review = new ReviewManager(this)
  readonly jobs = new JobsController(this)
  readonly history = new HistoryManager(this)
  readonly calibration = new CalibrationController(this)
  readonly camera = new CameraController(this)
  readonly tools = new ToolManager(this)
  readonly sequence = new SequenceController(this)

  private readonly pending = new Set<Promise<unknown>>()
  private requestCounter = 0
  private noticeCounter = 0
  private unsubscribe: (() => void) | null = null
  private unsubscribeConnection: (() => void) | null = null
  private panOrigin: ScreenPoint | null = null
  private spacePanned = false

  constructor(
    readonly api: StudioApi,
    private readonly options: EditorOptions = {},
  ) {
    // A notice whose cause ended (a category was created, the project closed) closes at once.
    this.store.subscribe((state) => {
      const notices = withoutEndedNotices(state.session.notices, state)
      if (notices !== state.session.notices) this.updateSession({ notices })
    })
  }

  get doc(): DocumentState {
    return this.store.get().doc
  }

  get session(): SessionState {
    return this.store.get().session
  }

  /** Connects to the core's events and reads what it already knows (an open project survives a page reload). */
  async start(): Promise<void> {
    this.unsubscribe ??= subscribeToCore(this)
    this.unsubscribeConnection ??= this.api.onConnection?.((state) => this.onConnection(state)) ?? null
    await Promise.all([this.documents.loadCoreInfo(), this.jobs.load()])
    await this.documents.loadCurrentProject()
  }

  dispose(): void {
    this.unsubscribe?.()
    this.unsubscribe = null
    this.unsubscribeConnection?.()
    this.unsubscribeConnection = null
  }

  /**
   * The connection came back: events sent while it was down are lost, so everything the window
   * shows is read again (core info, jobs, the open project, its list and image).
   */
  private onConnection(connection: ConnectionState): void {
    const was = this.doc.core.connection
    this.updateDoc((doc) => ({ core: { ...doc.core, connection } }))
    if (connection === 'connected' && was !== 'connected') this.track(this.refreshAll())
  }

  async refreshAll(): Promise<void> {
    await Promise.all([this.documents.loadCoreInfo(), this.jobs.load({ dropUnknown: true })])
    const project = await this.attempt('Reading the open project', () => this.api.call('project:current', {}))
    if (project === undefined) return
    await this.documents.adoptProject(project)
    if (project) await this.documents.reloadImage()
  }

  updateDoc(change: Partial<DocumentState> | ((doc: DocumentState) => Partial<DocumentState>)): void {
    this.store.update((state) => ({ ...state, doc: { ...state.doc, ...(typeof change === 'function' ? change(state.doc) : change) } }))
  }

  updateSession(change: Partial<SessionState> | ((session: SessionState) => Partial<SessionState>)): void {
    this.store.update((state) => ({
      ...state,
      session: { ...state.session, ...(typeof change === 'function' ? change(state.session) : change) },
    }))
  }

  // Async work --------------------------------------------------------------------------------

  /** Runs a call; a failure becomes a readable notice ("what: why") and resolves to undefined. */
  attempt<T>(what: string, task: () => Promise<T>): Promise<T | undefined> {
    return this.track(
      task().catch((error: unknown) => {
        // A lost connection is shown once, by the connection banner, not by every call it broke.
        if (!isConnectionError(error)) this.notify('error', `${what} failed: ${describeError(error)}`)
        return undefined
      }),
    )
  }

  /** Remembers a promise until it settles, so `whenIdle` can wait for everything in flight. */
  track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise)
    const forget = () => this.pending.delete(promise)
    promise.then(forget, forget)
    return promise
  }

  async whenIdle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending])
  }

  nextRequestId(): number {
    return ++this.requestCounter
  }

  /**
   * Shows a message. A notice with a `key` replaces the previous one with that key, so repeated
   * reports of one thing (undo after undo) do not pile up; the same message again is counted,
   * not repeated. A notice with a `cause` closes when that condition ends.
   */
  notify(level: NoticeDraft['level'], message: string, options: Pick<NoticeDraft, 'key' | 'cause'> = {}): void {
    const id = ++this.noticeCounter
    const projectDir = this.doc.project?.projectDir ?? null
    this.updateSession((session) => ({ notices: addNotice(session.notices, { level, message, ...options }, id, projectDir) }))
  }

  dismissNotice(id: number): void {
    this.updateSession((session) => ({ notices: session.notices.filter((notice) => notice.id !== id) }))
  }

  openDialog(dialog: DialogId | null): void {
    this.tools.cancelActive()
    this.updateSession({ dialog })
  }

  // Document-wide reactions -------------------------------------------------------------------

  /** A project was opened or closed: everything about the previous one goes. */
  resetForProject(project: ProjectSummary | null): void {
    const fresh = initialState()
    this.store.batch(() => {
      this.tools.cancelActive()
      this.updateDoc((doc) => ({ ...fresh.doc, core: doc.core, project }))
      this.updateSession((session) => ({
        ...fresh.session,
        viewport: session.viewport,
        tool: session.tool,
        brushRadius: session.brushRadius,
        jobs: session.jobs,
        notices: session.notices,
        masksVisible: session.masksVisible,
        dialog: session.dialog === 'models' || session.dialog === 'help' || session.dialog === 'workers' ? session.dialog : null,
        modelActions: session.modelActions,
        modelDownloads: session.modelDownloads,
      }))
    })
  }

  /** Annotations changed: counts in the list, the categories and the project header are stale. */
  afterAnnotationsChanged(): void {
    this.track(this.documents.reloadImagePages())
    this.track(this.documents.loadCategories())
    if (this.session.calibration) this.track(this.calibration.load())
  }

  /** The annotation under an image point: the smallest mask containing it. */
  hitTest(point: ImagePoint): number | null {
    const detail = this.doc.image
    return detail ? hitTest(detail.annotations, point, this.options.maskContains) : null
  }

  // Input ---------------------------------------------------------------------------------------

  pointerDown(event: EditorPointerEvent): void {
    if (event.button === 'middle' || (event.button === 'left' && this.session.spaceHeld)) {
      this.panOrigin = event.screen
      this.spacePanned = this.session.spaceHeld
      this.updateSession({ panning: true })
      return
    }
    this.tools.pointerDown(event)
  }

  pointerMove(event: EditorPointerEvent): void {
    if (this.panOrigin) {
      this.camera.pan(event.screen.x - this.panOrigin.x, event.screen.y - this.panOrigin.y)
      this.panOrigin = event.screen
      return
    }
    const hoverAnnotationId = this.hitTest(event.point)
    this.store.batch(() => {
      this.updateSession({ pointer: event.point, ...(hoverAnnotationId !== this.session.hoverAnnotationId ? { hoverAnnotationId } : {}) })
      this.tools.pointerMove(event)
    })
  }

  pointerUp(event: EditorPointerEvent): void {
    if (this.panOrigin) {
      this.panOrigin = null
      this.updateSession({ panning: false })
      return
    }
    this.tools.pointerUp(event)
  }

  pointerLeave(): void {
    this.updateSession({ pointer: null, hoverAnnotationId: null })
  }

  wheel(anchor: ScreenPoint, deltaY: number, deltaMode: 0 | 1 | 2): void {
    this.camera.wheel(anchor, deltaY, deltaMode)
  }

  /** Routes a key press through the keymap; true when the editor used it (the view then prevents the default). */
  keyDown(input: KeyInput): boolean {
    if (input.key === ' ') {
      if (!input.repeat) {
        this.spacePanned = false
        this.updateSession({ spaceHeld: true })
      }
      return true
    }
    return this.runShortcut(input, 'down')
  }

  keyUp(input: KeyInput): boolean {
    if (input.key !== ' ') return false
    this.updateSession({ spaceHeld: false })
    if (this.spacePanned || this.panOrigin) return true
    return this.runShortcut(input, 'up')
  }

  /** The window lost focus: held keys and drags are void. */
  blur(): void {
    this.panOrigin = null
    this.tools.cancelActive()
    this.updateSession({ spaceHeld: false, panning: false })
  }

  private runShortcut(input: KeyInput, phase: 'down' | 'up'): boolean {
    const shortcut = matchShortcut(input, { review: this.review.active, phase })
    if (!shortcut) return false
    if (input.repeat && !shortcut.repeat) return true
    const result = COMMANDS[shortcut.command](this, input.key === ' ' ? 'Space' : input.key.toUpperCase())
    if (result instanceof Promise) this.track(result)
    return true
  }
}
