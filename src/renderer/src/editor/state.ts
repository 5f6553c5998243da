/**
 * The editor's state, split the way tldraw splits records: the document is what the studio core
 * says (project, images, categories, the open image and its annotations, history); the session is
 * this window's own view of it (camera, tool, prompts, hover, selection, review cursor, dialogs,
 * requests in flight). The session is never sent to the core.
 */
import type {
  AppInfo,
  CatalogModel,
  Category,
  HistoryState,
  ImageDetail,
  ImageListItem,
  ImageState,
  ImageStateCounts,
  AnnotationStatusCounts,
  InstalledModel,
  JobInfo,
  ModelState,
  ProjectSummary,
  PromptPoint,
  ProviderAvailability,
  RecentProject,
  SegmentPreview,
} from '../../../common/ipc/types'
import type { CalibrationHistogramInfo } from '../../../common/ipc/dto/calibration'
import type { ConnectionState } from './api'
import { IDENTITY_CAMERA, type Camera } from './camera'
import type { ImageBox, ImagePoint, Size } from './geometry'

export type ToolId = 'select' | 'samPoints' | 'samBox' | 'brush' | 'eraser'
export type DialogId = 'propagate' | 'export' | 'help' | 'models' | 'import' | 'workers'

export const IMAGE_PAGE_SIZE = 100

export interface ImageFilter {
  readonly state: ImageState | null
  readonly categoryId: number | null
  readonly order: 'name' | 'review'
}

export interface ImagesState {
  readonly filter: ImageFilter
  readonly total: number
  /** Pages of IMAGE_PAGE_SIZE items, by page index, loaded as the list scrolls. */
  readonly pages: ReadonlyMap<number, readonly ImageListItem[]>
  readonly imageCounts: ImageStateCounts | null
  readonly annotationCounts: AnnotationStatusCounts | null
}

export interface CoreInfo {
  readonly app: AppInfo | null
  /** Why app:info failed: the core cannot be reached at all. */
  readonly appError: string | null
  readonly model: ModelState | null
  readonly installedModels: readonly InstalledModel[] | null
  readonly catalog: readonly CatalogModel[] | null
  readonly providers: readonly ProviderAvailability[] | null
  readonly recent: readonly RecentProject[] | null
  /** Whether the core can be reached (browser mode can lose its server). */
  readonly connection: ConnectionState
}

export interface DocumentState {
  readonly core: CoreInfo
  readonly project: ProjectSummary | null
  readonly images: ImagesState
  readonly categories: readonly Category[]
  /** The open image and its annotations, as last read from the core. */
  readonly image: ImageDetail | null
  readonly history: HistoryState
}

/** SAM prompts on the open image and the preview they produced. */
export interface PromptState {
  readonly imageId: number
  readonly points: readonly PromptPoint[]
  readonly box: ImageBox | null
  /** Set when re-segmenting an existing annotation: its mask is the decoder's mask input. */
  readonly correcting: number | null
  readonly preview: SegmentPreview | null
  /** The candidate shown and committed by Enter (Tab cycles). */
  readonly candidate: number
  /** Id of the newest segment:preview request; older replies are dropped. */
  readonly latestRequestId: number
  /** True while the newest request has not answered. */
  readonly pending: boolean
  /** Enter was pressed while a preview was in flight: commit when it lands. */
  readonly commitRequested: boolean
}

/** A brush or eraser stroke being painted, in image pixels. */
export interface StrokeState {
  readonly mode: 'brush' | 'eraser'
  readonly annotationId: number
  readonly points: readonly ImagePoint[]
  readonly radius: number
}

export interface ReviewState {
  /** Images to walk, least confident first (a snapshot; propagation appends to it). */
  readonly queue: readonly number[]
  readonly imageIndex: number
  /** The current image's proposals (annotation ids), least confident first. */
  readonly proposals: readonly number[]
  readonly proposalIndex: number
  /** Accepted corrections become references and the unreviewed images are propagated again. */
  readonly learnFromCorrections: boolean
  readonly finished: boolean
}

export interface PropagationSettings {
  readonly categoryId: number
  readonly method: 'persam' | 'persam-f'
  readonly scope: 'unlabeled' | 'not-reviewed' | 'all'
  readonly maxInstances: number
  /** Null: never mark an image absent (sent as null, not left to the engine's default). */
  readonly absentThreshold: number | null
}

/** The condition a notice reports; the notice closes when it ends (see editor/notices.ts). */
export type NoticeCause =
  | { readonly kind: 'no-category' }
  | { readonly kind: 'no-selection' }
  | { readonly kind: 'no-reference'; readonly categoryId: number }

export interface Notice {
  readonly id: number
  readonly level: 'error' | 'info'
  readonly message: string
  /** How many times this same notice was raised (shown as ×N). */
  readonly count: number
  /** Notices with the same key replace each other (see Editor.notify). */
  readonly key?: string
  readonly cause?: NoticeCause
  /** The project open when a notice with a cause was raised: closing or changing it ends the cause. */
  readonly projectDir?: string | null
}

/** The outcome of a models-panel action, shown next to its button. */
export interface ModelAction {
  readonly pending: boolean
  /** "What failed: why", in words. */
  readonly error: string | null
  /** A success worth saying ("Imported SAM ViT-B."). */
  readonly message: string | null
}

export interface SessionState {
  readonly camera: Camera
  readonly viewport: Size
  /** Camera follows the image's fit until the user zooms or pans. */
  readonly cameraFitted: boolean
  readonly tool: ToolId
  /** The active tool's state; the tool path is `${tool}.${toolState}`. */
  readonly toolState: string
  readonly prompts: PromptState | null
  /** The box being dragged out (SAM box prompt), before it becomes a prompt. */
  readonly draftBox: ImageBox | null
  readonly stroke: StrokeState | null
  readonly pointer: ImagePoint | null
  readonly hoverAnnotationId: number | null
  /** Brush and eraser radius, in image pixels. */
  readonly brushRadius: number
  readonly selectedAnnotationId: number | null
  readonly activeCategoryId: number | null
  readonly review: ReviewState | null
  readonly dialog: DialogId | null
  readonly jobs: readonly JobInfo[]
  readonly notices: readonly Notice[]
  readonly spaceHeld: boolean
  readonly panning: boolean
  readonly masksVisible: boolean
  readonly lastPropagation: PropagationSettings | null
  /** The export job the export dialog is following. */
  readonly exportJobId: string | null
  /** Image loading in flight (the canvas keeps drawing the previous one meanwhile). */
  readonly loadingImageId: number | null
  /** Models panel actions by key ('install:<catalogId>', 'import', 'remove:<id>', 'select:<id>', 'provider'). */
  readonly modelActions: Readonly<Record<string, ModelAction>>
  /** Download job ids by catalog id. */
  readonly modelDownloads: Readonly<Record<string, string>>
  /** The last project open the core refused because it is locked elsewhere or damaged. */
  readonly openRefusal: OpenRefusal | null
  /** The review confidence panel: its category, "accept all above" value and the last histogram read. */
  readonly calibration: CalibrationView | null
}

export interface CalibrationView {
  readonly categoryId: number
  readonly acceptAbove: number
  readonly histogram: CalibrationHistogramInfo | null
}

export interface OpenRefusal {
  readonly projectDir: string
  readonly code: 'locked' | 'damaged'
  readonly message: string
}

export interface EditorState {
  readonly doc: DocumentState
  readonly session: SessionState
}

export const EMPTY_HISTORY: HistoryState = { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null }
export const DEFAULT_BRUSH_RADIUS = 12

export function initialState(): EditorState {
  return {
    doc: {
      core: { app: null, appError: null, model: null, installedModels: null, catalog: null, providers: null, recent: null, connection: 'connected' },
      project: null,
      images: {
        filter: { state: null, categoryId: null, order: 'name' },
        total: 0,
        pages: new Map(),
        imageCounts: null,
        annotationCounts: null,
      },
      categories: [],
      image: null,
      history: EMPTY_HISTORY,
    },
    session: {
      camera: IDENTITY_CAMERA,
      viewport: { width: 0, height: 0 },
      cameraFitted: true,
      tool: 'samPoints',
      toolState: 'idle',
      prompts: null,
      draftBox: null,
      stroke: null,
      pointer: null,
      hoverAnnotationId: null,
      brushRadius: DEFAULT_BRUSH_RADIUS,
      selectedAnnotationId: null,
      activeCategoryId: null,
      review: null,
      dialog: null,
      jobs: [],
      notices: [],
      spaceHeld: false,
      panning: false,
      masksVisible: true,
      lastPropagation: null,
      exportJobId: null,
      loadingImageId: null,
      modelActions: {},
      modelDownloads: {},
      openRefusal: null,
      calibration: null,
    },
  }
}
