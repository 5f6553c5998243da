/**
 * The one IPC contract. Every request/response channel and every main-to-renderer event is
 * declared here; the Electron main process, the preload bridge, the browser-mode server and the
 * renderer client are all derived from these two maps, so a channel cannot exist in one place only.
 * Request schemas are strict (unknown keys are rejected) and bounded (ids, sizes, counts).
 */
import { z } from 'zod'
import type * as T from './types'
import { ANNOTATION_STATUSES, EXECUTION_PROVIDERS, EXPORT_FORMATS, IMAGE_STATES } from './types'
import { MAX_PROMPT_POINTS } from './limits'
import type { CalibrationAbsentThresholdInfo, CalibrationAcceptAllInfo, CalibrationHistogramInfo } from './dto/calibration'
import type { SequenceFrameInfo, SequenceInfo, SequenceTrackingEvent, TimelineFrame } from './dto/sequence'
import type { VideoProbeInfo } from './dto/video'

/** A request/response channel: the zod schema its payload must pass, and its response type. */
export interface InvokeSpec<Req extends z.ZodType, Res> {
  readonly request: Req
  /** Type-only marker carrying the response type; never set at runtime. */
  readonly response?: (value: Res) => void
}

/** An event pushed from the main process (or server) to the renderer. */
export interface EventSpec<Payload> {
  readonly payload?: (value: Payload) => void
}

const invoke =
  <Res>() =>
  <Req extends z.ZodType>(request: Req): InvokeSpec<Req, Res> => ({ request })

const event = <Payload>(): EventSpec<Payload> => ({})

// Building blocks ------------------------------------------------------------------------------

const MAX_COORD = 1_000_000
const empty = z.object({}).strict()
const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
const coordinate = z.number().finite().min(-MAX_COORD).max(MAX_COORD)
const path = z.string().min(1).max(4096).refine((value) => !value.includes('\0'), 'must not contain NUL')
const name = z.string().trim().min(1).max(200)
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be #rrggbb')
const point = z.object({ x: coordinate, y: coordinate, positive: z.boolean() }).strict()
const box = z
  .object({ x0: coordinate, y0: coordinate, x1: coordinate, y1: coordinate })
  .strict()
  .refine((b) => b.x1 > b.x0 && b.y1 > b.y0, 'box must have x1 > x0 and y1 > y0')
const statuses = z.array(z.enum(ANNOTATION_STATUSES)).min(1).max(ANNOTATION_STATUSES.length)

const propagationScope = z.union([
  z.enum(['unlabeled', 'not-reviewed', 'all']),
  z.object({ imageIds: z.array(id).min(1).max(1_000_000) }).strict(),
])

/** Which frames of a video to keep: all, at most `fps` per second, or every Nth. */
const frameSampling = z.union([
  z.literal('native'),
  z.object({ fps: z.number().positive().max(1000) }).strict(),
  z.object({ everyNth: z.number().int().min(1).max(100_000) }).strict(),
])

// Channels --------------------------------------------------------------------------------------

export const invokeChannels = {
  'app:info': invoke<T.AppInfo>()(empty),
  /** Native folder/file pickers; browser mode answers `{ path: null, supported: false }`. */
  'dialog:pickPath': invoke<{ path: string | null; supported: boolean }>()(
    z.object({ kind: z.enum(['folder', 'open-file', 'save-file']), title: z.string().max(200), defaultName: z.string().max(255).optional() }).strict(),
  ),

  'project:create': invoke<{ project: T.ProjectSummary; importJob: T.JobInfo }>()(
    z
      .object({
        imagesRoot: path,
        projectDir: path.optional(),
        name: name.optional(),
        /** Annotations to import once the images are in (the same job): a COCO file, a PerSeg or a DAVIS folder. */
        importAnnotations: z.object({ format: z.enum(['coco', 'perseg', 'davis']), path }).strict().optional(),
      })
      .strict(),
  ),
  /** One level of the browser-mode folder picker, confined to the user's home and the data folder. */
  'folder:list': invoke<T.FolderListing>()(
    z.object({ path: path.optional(), fileExtensions: z.array(z.string().regex(/^\.[a-z0-9]{1,10}$/)).max(8).optional() }).strict(),
  ),
  /** readOnly: open without the write lock (e.g. while another process has the project open). */
  'project:open': invoke<T.ProjectSummary>()(z.object({ projectDir: path, readOnly: z.boolean().optional() }).strict()),
  /** The bundled photo demo, or with `which: 'sequence'` the demo video (a frame sequence with a reference on frame 0). */
  'project:openDemo': invoke<T.ProjectSummary>()(z.object({ which: z.enum(['photos', 'sequence']).optional() }).strict()),
  'project:current': invoke<T.ProjectSummary | null>()(empty),
  'project:recent': invoke<readonly T.RecentProject[]>()(empty),
  'project:close': invoke<null>()(empty),
  /** The backups of the open project, or of `projectDir` (e.g. one that failed to open), newest first. */
  'project:backups': invoke<readonly T.BackupInfo[]>()(z.object({ projectDir: path.optional() }).strict()),
  /** Replaces project.sqlite by a backup (the current file is kept as a backup) and opens the project. */
  'project:restore': invoke<{ project: T.ProjectSummary; previous: T.BackupInfo | null }>()(
    z.object({ projectDir: path.optional(), backup: z.string().min(1).max(255).regex(/^[\w.-]+\.sqlite$/, 'must be a backup file name') }).strict(),
  ),

  'image:list': invoke<T.ImagePage>()(
    z
      .object({
        offset: z.number().int().min(0).max(100_000_000),
        limit: z.number().int().min(1).max(500),
        state: z.enum(IMAGE_STATES).optional(),
        categoryId: id.optional(),
        /** 'review' puts images with the least confident proposals first. */
        order: z.enum(['name', 'review']).default('name'),
      })
      .strict(),
  ),
  'image:get': invoke<T.ImageDetail>()(z.object({ imageId: id }).strict()),

  'category:list': invoke<readonly T.Category[]>()(empty),
  'category:create': invoke<T.Category>()(z.object({ name, color: color.optional() }).strict()),
  'category:update': invoke<T.Category>()(
    z
      .object({ categoryId: id, name: name.optional(), color: color.optional() })
      .strict()
      .refine((r) => r.name !== undefined || r.color !== undefined, 'nothing to update: give name or color'),
  ),
  /** Deleting a category deletes its annotations: the caller must confirm with the count it showed. */
  'category:delete': invoke<{ deletedAnnotations: number }>()(
    z.object({ categoryId: id, confirmAnnotationCount: z.number().int().min(0) }).strict(),
  ),

  /** Computes (or reuses) the image's embedding and decodes the prompts; nothing is stored. */
  'segment:preview': invoke<T.SegmentPreview>()(
    z
      .object({
        requestId: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
        imageId: id,
        points: z.array(point).max(MAX_PROMPT_POINTS),
        box: box.optional(),
        /** Refine from the previous preview's low-res logits, or from an annotation's mask. */
        maskInput: z.union([z.literal('previous'), z.object({ annotationId: id }).strict()]).optional(),
      })
      .strict()
      .refine((r) => r.points.length > 0 || r.box !== undefined, 'give at least one point or a box'),
  ),
  /**
   * Stores a preview's candidate: a new manual annotation (status 'accepted': a person made it), or
   * a correction of `replaceAnnotationId`, which keeps its id and becomes 'edited'.
   */
  'segment:commit': invoke<T.AnnotationInfo>()(
    z
      .object({ previewId: z.string().min(1).max(100), candidate: z.number().int().min(0).max(3), categoryId: id, replaceAnnotationId: id.optional() })
      .strict(),
  ),
  /** Computes embeddings ahead of time, in this order, in the inference worker. */
  'segment:prefetch': invoke<{ queued: number }>()(z.object({ imageIds: z.array(id).max(16) }).strict()),

  /**
   * A brush (adds) or eraser (removes) stroke: a polyline with a radius, in image pixels. On an
   * existing annotation it becomes 'edited' (a proposal corrected by hand); given an image and a
   * category instead, a brush stroke creates a new manual annotation ('accepted').
   */
  'annotation:stroke': invoke<T.AnnotationInfo>()(
    z
      .object({
        annotationId: id.optional(),
        imageId: id.optional(),
        categoryId: id.optional(),
        mode: z.enum(['brush', 'eraser']),
        points: z.array(z.object({ x: coordinate, y: coordinate }).strict()).min(1).max(10_000),
        radius: z.number().finite().positive().max(2000),
      })
      .strict()
      .refine(
        (r) => (r.annotationId !== undefined) !== (r.imageId !== undefined && r.categoryId !== undefined),
        'give either annotationId, or imageId and categoryId',
      ),
  ),
  /** Proposals (or any statuses) across images without their masks, e.g. the review queue. */
  'annotation:list': invoke<{ total: number; items: readonly T.AnnotationSummary[] }>()(
    z
      .object({
        categoryId: id.optional(),
        statuses: statuses.optional(),
        /** 'score': least confident first (the review order); 'image': by image name. */
        order: z.enum(['score', 'image']).default('score'),
        offset: z.number().int().min(0).max(100_000_000).default(0),
        limit: z.number().int().min(1).max(5000).default(500),
      })
      .strict(),
  ),
  /** accept / reject / absent set the status; delete removes it and answers null. */
  'annotation:review': invoke<T.AnnotationInfo | null>()(
    z.object({ annotationId: id, action: z.enum(['accept', 'reject', 'absent', 'delete']) }).strict(),
  ),
  /** Marks an image as not showing the category's object (an "absent" marker without a mask). */
  'annotation:markImageAbsent': invoke<T.AnnotationInfo>()(z.object({ imageId: id, categoryId: id }).strict()),
  'annotation:setReference': invoke<T.AnnotationInfo>()(z.object({ annotationId: id, isReference: z.boolean() }).strict()),
  'annotation:setCategory': invoke<T.AnnotationInfo>()(z.object({ annotationId: id, categoryId: id }).strict()),

  /** Calibration: refits the category's review model and returns the pending proposals' confidence histogram; the accept-all preview is at `acceptAbove` (default: the threshold). */
  'calibration:histogram': invoke<CalibrationHistogramInfo>()(
    z.object({ categoryId: id, bins: z.number().int().min(1).max(100).default(20), acceptAbove: z.number().min(0).max(1).optional() }).strict(),
  ),
  /** Calibration: accepts every pending proposal at or above `threshold` (calibrated) as one undo step. */
  'calibration:acceptAll': invoke<CalibrationAcceptAllInfo>()(z.object({ categoryId: id, threshold: z.number().min(0).max(1) }).strict()),
  /** Calibration: the absent threshold (engine confidence) that meets `missRate` on the category's review decisions; null until there are enough. */
  'calibration:absentThreshold': invoke<CalibrationAbsentThresholdInfo>()(z.object({ categoryId: id, missRate: z.number().min(0).max(0.5) }).strict()),

  'history:state': invoke<T.HistoryState>()(empty),
  'history:undo': invoke<T.HistoryStep | null>()(empty),
  'history:redo': invoke<T.HistoryStep | null>()(empty),

  'propagation:start': invoke<T.JobInfo>()(
    z
      .object({
        categoryId: id,
        method: z.enum(['persam', 'persam-f']),
        scope: propagationScope,
        maxInstances: z.number().int().min(1).max(20).default(1),
        /**
         * Below this confidence an image is marked absent instead of getting a proposal. Omitted:
         * the engine's DEFAULT_ABSENT_THRESHOLD; null: never mark an image absent.
         */
        absentThreshold: z.number().min(0).max(1).nullable().optional(),
        /** Images left alone even when in scope, e.g. the one under review. */
        excludeImageIds: z.array(id).max(1_000_000).optional(),
      })
      .strict(),
  ),

  'job:list': invoke<readonly T.JobInfo[]>()(empty),
  'job:cancel': invoke<T.JobInfo>()(z.object({ jobId: z.string().min(1).max(100) }).strict()),

  'exchange:import': invoke<T.JobInfo>()(z.object({ format: z.enum(['folder', 'coco', 'perseg', 'davis']), path }).strict()),
  /** Cheap look at a folder for annotations worth offering to import (COCO files, a PerSeg or DAVIS layout). */
  'exchange:detect': invoke<T.AnnotationsFound>()(z.object({ path }).strict()),
  'exchange:export': invoke<T.JobInfo>()(
    z
      .object({
        format: z.enum(EXPORT_FORMATS),
        path,
        statuses: statuses.default(['accepted', 'edited']),
        cocoSegmentation: z.enum(['rle', 'polygons']).default('rle'),
        pngMode: z.enum(['instance', 'semantic']).default('instance'),
        categoryIds: z.array(id).max(10_000).optional(),
      })
      .strict(),
  ),

  'model:state': invoke<T.ModelState>()(empty),
  'model:list': invoke<{ installed: readonly T.InstalledModel[]; catalog: readonly T.CatalogModel[] }>()(empty),
  'model:providers': invoke<readonly T.ProviderAvailability[]>()(empty),
  'model:select': invoke<T.ModelState>()(z.object({ modelId: z.string().min(1).max(200) }).strict()),
  'model:setProvider': invoke<T.ModelState>()(z.object({ provider: z.enum(EXECUTION_PROVIDERS) }).strict()),
  'model:install': invoke<T.JobInfo>()(z.object({ catalogId: z.string().min(1).max(200) }).strict()),
  'model:import': invoke<T.InstalledModel>()(z.object({ path }).strict()),
  'model:remove': invoke<null>()(z.object({ modelId: z.string().min(1).max(200) }).strict()),
  'queue:workers': invoke<T.QueueStatus>()(empty),

  /** Frame sequences of the open project (videos and frame folders), by name. */
  'sequence:list': invoke<SequenceInfo[]>()(empty),
  /** The frames of one sequence in frame order. */
  'sequence:frames': invoke<SequenceFrameInfo[]>()(z.object({ sequenceId: id }).strict()),
  /** What a video holds (duration, fps, size, frames) and how many frames `sampling` would extract. */
  'sequence:probe': invoke<VideoProbeInfo>()(z.object({ path, sampling: frameSampling.default('native') }).strict()),
  /** Background job: extracts a video's frames into a folder and imports them as one sequence. */
  'sequence:importVideo': invoke<T.JobInfo>()(
    z.object({ path, name: name.optional(), sampling: frameSampling.default('native'), framesFolder: path.optional() }).strict(),
  ),
  /** Background job: imports the images of a folder as one sequence, in natural file-name order. */
  'sequence:importFrames': invoke<T.JobInfo>()(z.object({ folder: path, name: name.optional(), fps: z.number().positive().max(10_000).optional() }).strict()),
  /** Tracks a category's object(s) through a sequence from its keyframes, as a background job. */
  'sequence:track': invoke<T.JobInfo>()(z.object({ sequenceId: id, categoryId: id }).strict()),
  /** Per frame of a sequence, in frame order: the category's state there (keyframe, proposed, accepted, flagged, absent, none). */
  'sequence:timeline': invoke<TimelineFrame[]>()(z.object({ sequenceId: id, categoryId: id }).strict()),
} as const

export const eventChannels = {
  /** Progress and completion of any background job; `revision` orders reports of one job. */
  'job:progress': event<T.JobInfo>(),
  /** A proposal stored by a running propagation (the review list can grow while it runs). */
  'proposal:added': event<{ readonly jobId: string; readonly annotation: T.AnnotationInfo }>(),
  /** Annotations changed outside the renderer's own request (undo, propagation, import). */
  'annotation:changed': event<{ readonly imageIds: readonly number[]; readonly reason: string }>(),
  /** Sent after every stored change, whatever caused it. */
  'history:changed': event<T.HistoryState>(),
  'model:state': event<T.ModelState>(),
  'project:changed': event<T.ProjectSummary | null>(),
  /** A failure that happened outside any request the renderer is waiting on. */
  'app:error': event<{ readonly code: string; readonly message: string }>(),
  /** Tracking started on a sequence (asked for, or re-run after a correction on one of its frames). */
  'sequence:tracking': event<SequenceTrackingEvent>(),
  /** A category's review calibration was refitted and its model or review order changed. */
  'calibration:changed': event<{ readonly categoryId: number }>(),
} as const

export type InvokeChannel = keyof typeof invokeChannels
export type EventChannel = keyof typeof eventChannels

/** What the caller sends (before defaults and transforms). */
export type RequestOf<C extends InvokeChannel> = z.input<(typeof invokeChannels)[C]['request']>
/** What the handler receives (after validation). */
export type ParsedRequestOf<C extends InvokeChannel> = z.output<(typeof invokeChannels)[C]['request']>
export type ResponseOf<C extends InvokeChannel> =
  (typeof invokeChannels)[C] extends InvokeSpec<z.ZodType, infer Res> ? Res : never
export type EventPayloadOf<E extends EventChannel> =
  (typeof eventChannels)[E] extends EventSpec<infer P> ? P : never

export const invokeChannelNames = Object.freeze(Object.keys(invokeChannels)) as readonly InvokeChannel[]

export function isInvokeChannel(name: unknown): name is InvokeChannel {
  return typeof name === 'string' && Object.hasOwn(invokeChannels, name)
}

export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && Object.hasOwn(eventChannels, name)
}
