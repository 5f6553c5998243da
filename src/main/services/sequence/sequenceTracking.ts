/**
 * Tracking a category's object(s) through a sequence in the studio. One SequenceTracker per
 * (sequence, category) lives as long as the project stays open, so a correction re-runs only the
 * spans its frame bounds; the frames whose result changed are stored as a propagation run (one undo
 * step, replacing earlier untouched results by the store's propagation rule, keeping people's
 * decisions). Flagged frames are proposals whose `method.track` says why; frames where no object
 * is left are 'absent' verdicts, as propagation stores them.
 */
import { encodeRleScaled, maskArea, type CocoRle } from '../../../common/mask'
import { StudioError } from '../../../common/ipc/result'
import { SequenceTracker, type SequenceTrack, type SequenceTrackerOptions } from '../../../common/persam/trackSequence'
import { DEFAULT_TRACK_OPTIONS, type TrackedFrame } from '../../../common/persam/trackSpan'
import type { ImageEmbedding } from '../../../common/sam/port'
import type { JobContext } from '../jobs/jobManager'
import type { SamRuntime } from '../sam/samRuntime'
import { KEPT_STATUSES, isReplaceableByPropagation, rleOfStored, storedMaskFromRle, type Annotation, type Project, type RunProposal } from '../store'
import { frameAnnotations, objectIdOf, sequenceKeyframes, trackOf, type SequenceKeyframes } from './sequenceFrames'

export interface TrackingReport {
  readonly frames: number
  readonly keyframes: number
  /** Frames whose new result was stored (the others kept their earlier one). */
  readonly stored: number
  readonly flagged: number
  readonly absent: number
  readonly spansComputed: number
  readonly spansReused: number
  /** The propagation run holding the stored results, null when nothing changed. */
  readonly runId: number | null
}

interface TrackerEntry {
  readonly tracker: SequenceTracker
  /** The frames' image ids when the tracker was made: other frames need a new tracker. */
  readonly frameKey: string
  /** objectId -> frame -> keyframe signature, as last given to the tracker. */
  readonly keyframes: Map<string, Map<number, string>>
  signal: AbortSignal | undefined
  onEmbed: ((frame: number) => void) | undefined
}

/** Why tracking flagged a frame, in words (the tracker says only that it did). */
export function flagReason(frame: TrackedFrame): string {
  if (frame.confidence < DEFAULT_TRACK_OPTIONS.flagThreshold) return 'low confidence'
  return frame.mode === 'global' ? 're-detected elsewhere' : 'jumped in size or position'
}

/** Whether the store already holds exactly this result (same verdict, confidence and mask). */
function storedAs(stored: Annotation | undefined, tracked: TrackedFrame, rle: CocoRle | null): boolean {
  if (!stored || stored.score !== tracked.confidence) return false
  if (rle === null || stored.mask === null) return rle === null && stored.mask === null
  if (trackOf(stored)?.state !== tracked.state) return false
  const counts = rleOfStored(stored.mask).counts
  return counts.length === rle.counts.length && counts.every((n, i) => n === rle.counts[i])
}

export class SequenceTrackingSession {
  private readonly trackers = new Map<string, TrackerEntry>()

  constructor(
    private readonly project: Project,
    private readonly options: SequenceTrackerOptions = {},
  ) {}

  /** Categories tracked on a sequence in this session (a correction there re-runs them). */
  trackedCategories(sequenceId: number): number[] {
    return [...this.trackers.keys()].filter((key) => key.startsWith(`${sequenceId}:`)).map((key) => Number(key.slice(key.indexOf(':') + 1)))
  }

  async track(runtime: SamRuntime, sequenceId: number, categoryId: number, context: JobContext, onStored: (annotations: readonly Annotation[], imageId: number) => void): Promise<TrackingReport> {
    const { project } = this
    const keyframes = sequenceKeyframes(project, sequenceId, categoryId)
    const { frames } = keyframes
    if (frames.length === 0) throw new StudioError('invalid-input', `sequence ${sequenceId} has no frames`)
    const showing = [...keyframes.objects.values()].some((perFrame) => [...perFrame.values()].some((k) => maskArea(k.mask()) > 0))
    if (!showing) throw new StudioError('invalid-input', 'no frame of the sequence shows the object yet: mark it on one frame (a reference or a corrected mask) first')
    const entry = this.entry(runtime, sequenceId, categoryId, keyframes)
    const keyframeCount = this.syncKeyframes(entry, keyframes)
    const total = frames.length * 2
    const embedded = new Set<number>()
    entry.signal = context.signal
    entry.onEmbed = (frame) => {
      embedded.add(frame)
      context.progress(Math.min(embedded.size, frames.length), total)
    }
    context.progress(0, total)
    let result: SequenceTrack
    try {
      result = await entry.tracker.run()
    } finally {
      entry.onEmbed = undefined
    }
    const changes = this.changedFrames(keyframes, result, categoryId)
    const report = { frames: frames.length, keyframes: keyframeCount, spansComputed: result.spansComputed, spansReused: result.spansReused }
    let flagged = 0
    let absent = 0
    if (changes.length === 0) {
      context.progress(total, total)
      return { ...report, stored: 0, flagged, absent, runId: null }
    }
    const run = project.runs.create({
      method: this.options.method ?? 'persam',
      categoryId,
      referenceSetId: null,
      params: { sequenceId, tracking: true, objects: result.objects.length },
      modelId: runtime.model.id,
      imageIds: changes.map((change) => change.imageId),
    })
    project.runs.start(run.id)
    try {
      for (const [i, change] of changes.entries()) {
        context.signal.throwIfAborted()
        const created = project.runs.recordResult(run.id, change.imageId, { proposals: change.proposals })
        flagged += created.filter((a) => a.status === 'proposed' && (a.method as { track?: { state?: string } } | null)?.track?.state === 'flagged').length
        absent += created.filter((a) => a.status === 'absent').length
        onStored(created, change.imageId)
        context.progress(frames.length + Math.round((frames.length * (i + 1)) / changes.length), total)
      }
    } catch (error) {
      // A tracking run is not resumed as an image propagation: whatever stopped it ends it.
      const current = project.runs.get(run.id)
      if (current?.state === 'running') {
        if (context.signal.aborted) project.runs.cancel(run.id)
        else project.runs.fail(run.id, error instanceof Error ? error.message : String(error))
      }
      throw error
    }
    return { ...report, stored: changes.length, flagged, absent, runId: run.id }
  }

  private entry(runtime: SamRuntime, sequenceId: number, categoryId: number, keyframes: SequenceKeyframes): TrackerEntry {
    const key = `${sequenceId}:${categoryId}`
    const frameKey = keyframes.frames.map((frame) => frame.imageId).join(',')
    const existing = this.trackers.get(key)
    if (existing && existing.frameKey === frameKey) return existing
    const files = keyframes.frames.map((frame) => {
      const image = this.project.images.require(frame.imageId)
      return { file: this.project.absolutePath(image.relPath), imageKey: image.contentHash }
    })
    const embed = async (frame: number): Promise<ImageEmbedding> => {
      const { file, imageKey } = files[frame]!
      const outcome = await runtime.encodeFile(file, { imageKey, signal: entry.signal })
      entry.onEmbed?.(frame)
      return outcome.embedding
    }
    const entry: TrackerEntry = { tracker: new SequenceTracker(files.length, embed, runtime, this.options), frameKey, keyframes: new Map(), signal: undefined, onEmbed: undefined }
    this.trackers.set(key, entry)
    return entry
  }

  /** Hands the tracker only the keyframes that changed, so it keeps every span they do not bound. */
  private syncKeyframes(entry: TrackerEntry, keyframes: SequenceKeyframes): number {
    const position = new Map(keyframes.frames.map((frame, i) => [frame.frameIndex, i]))
    let count = 0
    for (const [objectId, known] of entry.keyframes) {
      const now = keyframes.objects.get(objectId)
      for (const frame of [...known.keys()]) {
        if (now?.has(frame)) continue
        entry.tracker.removeKeyframe(objectId, position.get(frame) ?? frame)
        known.delete(frame)
      }
    }
    for (const [objectId, perFrame] of keyframes.objects) {
      let known = entry.keyframes.get(objectId)
      if (!known) entry.keyframes.set(objectId, (known = new Map()))
      for (const [frame, keyframe] of perFrame) {
        count++
        if (known.get(frame) === keyframe.signature) continue
        entry.tracker.setKeyframe(objectId, position.get(frame)!, keyframe.mask())
        known.set(frame, keyframe.signature)
      }
    }
    return count
  }

  /** The frames to store: those where the store does not already hold exactly the new result. */
  private changedFrames(keyframes: SequenceKeyframes, result: SequenceTrack, categoryId: number): { imageId: number; proposals: RunProposal[] }[] {
    const stored = frameAnnotations(this.project, keyframes.frames[0]!.sequenceId, categoryId)
    const method = this.options.method ?? 'persam'
    const changes: { imageId: number; proposals: RunProposal[] }[] = []
    keyframes.frames.forEach((frame, position) => {
      const annotations = stored[position]!.annotations
      // Objects a person decided on this frame (kept or rejected) get nothing new.
      const decided = new Set(annotations.filter((a) => a.mask !== null && (KEPT_STATUSES.includes(a.status) || a.status === 'rejected')).map(objectIdOf))
      const open = result.objects.filter((object) => object.frames[position]!.state !== 'keyframe' && !decided.has(object.id))
      if (open.length === 0) return
      const image = this.project.images.require(frame.imageId)
      const replaceable = annotations.filter(isReplaceableByPropagation)
      const present = open.filter((object) => object.frames[position]!.mask !== null)
      let proposals: RunProposal[]
      let unchanged: boolean
      if (present.length > 0) {
        const encoded = present.map((object) => ({ object, tracked: object.frames[position]!, rle: encodeRleScaled(object.frames[position]!.mask!, image.width, image.height) }))
        unchanged = replaceable.length === encoded.length && encoded.every(({ object, tracked, rle }) => storedAs(replaceable.find((a) => a.mask !== null && objectIdOf(a) === object.id), tracked, rle))
        proposals = encoded.map(({ object, tracked, rle }) => ({
          mask: storedMaskFromRle(rle),
          score: tracked.confidence,
          method: { method, objectId: object.id, track: { state: tracked.state, mode: tracked.mode, ...(tracked.state === 'flagged' ? { reason: flagReason(tracked) } : {}) } },
        }))
      } else {
        const confidence = Math.max(...open.map((object) => object.frames[position]!.confidence))
        const absent = replaceable.find((a) => a.status === 'absent')
        unchanged = replaceable.length === 1 && absent !== undefined && absent.score === confidence
        proposals = [{ mask: null, status: 'absent', score: confidence, method: { method, absent: true, objectIds: open.map((object) => object.id), track: { state: 'absent' } } }]
      }
      if (!unchanged) changes.push({ imageId: frame.imageId, proposals })
    })
    return changes
  }

  /** Whether the keyframes of a tracked sequence differ from those its tracker last ran with. */
  keyframesChanged(sequenceId: number, categoryId: number): boolean {
    const entry = this.trackers.get(`${sequenceId}:${categoryId}`)
    if (!entry) return false
    const keyframes = sequenceKeyframes(this.project, sequenceId, categoryId)
    const known = [...entry.keyframes].flatMap(([object, frames]) => [...frames].map(([frame, signature]) => `${object}|${frame}|${signature}`))
    const now = [...keyframes.objects].flatMap(([object, frames]) => [...frames].map(([frame, keyframe]) => `${object}|${frame}|${keyframe.signature}`))
    return known.sort().join(',') !== now.sort().join(',')
  }
}
