/**
 * Tracking one object from one keyframe, frame after frame in one direction, until the frame
 * before the next keyframe (docs/video-tracking.md, "Spans", "Drift and loss"). While the object
 * is followed, each frame is a local step around the previous box; when confidence drops or the
 * mask jumps in size or position the frame is flagged and the next frame is re-detected with the
 * global location prior (the image engine), which also says when the object has left the frame.
 * Every few local frames a global search checks that the track has not settled on a look-alike.
 */
import { maskArea, maskIou, resizeMask, type BinaryMask } from '../mask'
import type { ImageEmbedding, SamDecoderPort } from '../sam/port'
import type { PromptBox } from '../sam/prompts'
import { DEFAULT_ABSENT_THRESHOLD } from './confidence'
import { segmentImage } from './segment'
import type { PreparedTarget } from './target'
import { maskBoxInImage, trackStep, type TrackStepOptions } from './trackStep'

export type TrackState = 'keyframe' | 'proposed' | 'flagged' | 'absent'

export interface TrackedFrame {
  readonly frame: number
  /** At the decoder's output size; null when the object is absent. */
  readonly mask: BinaryMask | null
  readonly confidence: number
  readonly state: TrackState
  /** How the frame was segmented: around the previous box, or searched over the whole frame. */
  readonly mode: 'keyframe' | 'local' | 'global'
}

export interface TrackOptions extends TrackStepOptions {
  /** Below this confidence the object is absent from the frame. */
  readonly absentThreshold: number
  /** Below this confidence (but above absent) the frame is flagged for review and the next is re-detected. */
  readonly flagThreshold: number
  /** A mask whose area changes by more than this factor from the previous frame's is flagged. */
  readonly maxAreaChange: number
  /** A mask whose centre moves by more than this share of the previous box's diagonal is flagged. */
  readonly maxCentreShift: number
  /** Candidate peaks for the global re-detection (the image engine's `candidates`). */
  readonly redetectCandidates: number
  /**
   * Every this many locally tracked frames the frame is also searched globally: after a loss the
   * track may have been picked up on a look-alike, and a clearly more confident find elsewhere
   * takes over. 0 never checks.
   */
  readonly recheckEvery: number
  /** How much more confident the global find must be to take over. */
  readonly recheckMargin: number
}

export const DEFAULT_TRACK_OPTIONS: TrackOptions = {
  topPoints: 1,
  boxMargin: 0.012,
  searchMargin: 0.5,
  absentThreshold: DEFAULT_ABSENT_THRESHOLD,
  flagThreshold: 0.84,
  maxAreaChange: 1.5,
  maxCentreShift: 0.75,
  redetectCandidates: 3,
  recheckEvery: 4,
  recheckMargin: 0.02,
}

export interface SpanRequest {
  readonly target: PreparedTarget
  readonly decoder: SamDecoderPort
  readonly embed: (frame: number) => Promise<ImageEmbedding>
  readonly keyframe: number
  readonly keyframeMask: BinaryMask
  /** +1 forward, -1 backward. */
  readonly direction: 1 | -1
  /** The first frame not to track (the next keyframe, or one past the sequence's end). */
  readonly stop: number
  readonly options?: Partial<TrackOptions>
}

interface Footprint {
  readonly box: PromptBox
  /** Share of the frame the mask covers, comparable across mask sizes. */
  readonly coverage: number
}

function footprint(mask: BinaryMask, width: number, height: number): Footprint | null {
  const box = maskBoxInImage(mask, width, height)
  return box ? { box, coverage: maskArea(mask) / (mask.width * mask.height) } : null
}

/** Whether the new footprint is too far from the previous one in size or position to trust. */
export function jumped(previous: Footprint, next: Footprint, options: Pick<TrackOptions, 'maxAreaChange' | 'maxCentreShift'>): boolean {
  const ratio = next.coverage / previous.coverage
  if (!(ratio <= options.maxAreaChange && ratio >= 1 / options.maxAreaChange)) return true
  const { box: a } = previous
  const { box: b } = next
  const shift = Math.hypot((a.x0 + a.x1 - b.x0 - b.x1) / 2, (a.y0 + a.y1 - b.y0 - b.y1) / 2)
  return shift > options.maxCentreShift * Math.hypot(a.x1 - a.x0 + 1, a.y1 - a.y0 + 1)
}

const sameSize = (mask: BinaryMask, like: BinaryMask): BinaryMask =>
  mask.width === like.width && mask.height === like.height ? mask : resizeMask(mask, like.width, like.height)

export async function trackSpan(request: SpanRequest): Promise<TrackedFrame[]> {
  const options: TrackOptions = { ...DEFAULT_TRACK_OPTIONS, ...request.options }
  const { target, decoder, direction, stop } = request
  const out: TrackedFrame[] = []
  let previous: Footprint | null = null
  let lost = true
  let sinceGlobal = 0
  const globalFind = (embedding: ImageEmbedding) =>
    segmentImage(target, embedding, decoder, {
      candidates: options.redetectCandidates,
      absentThreshold: options.absentThreshold,
      confidence: options.confidence,
      outputSize: options.outputSize,
    })
  for (let frame = request.keyframe + direction; direction > 0 ? frame < stop : frame > stop; frame += direction) {
    const embedding = await request.embed(frame)
    const { originalWidth: width, originalHeight: height } = embedding.geometry
    if (frame === request.keyframe + direction) {
      previous = footprint(request.keyframeMask, width, height)
      lost = previous === null
    }
    if (!lost && previous) {
      const step = await trackStep(target, embedding, decoder, previous.box, options)
      const next = footprint(step.mask, width, height)
      if (!next || step.confidence < options.absentThreshold) {
        // Not where it was: search this frame globally before calling it absent.
        lost = true
      } else if (step.confidence < options.flagThreshold || jumped(previous, next, options)) {
        out.push({ frame, mask: step.mask, confidence: step.confidence, state: 'flagged', mode: 'local' })
        lost = true
      } else if (options.recheckEvery > 0 && ++sinceGlobal >= options.recheckEvery) {
        sinceGlobal = 0
        const elsewhere = await globalFind(embedding)
        const instance = elsewhere.instances[0]
        const other = instance && maskIou(sameSize(instance.mask, step.mask), step.mask) < 0.5 && instance.confidence > step.confidence + options.recheckMargin
        if (other) {
          out.push({ frame, mask: instance.mask, confidence: instance.confidence, state: 'flagged', mode: 'global' })
          previous = footprint(instance.mask, width, height)
        } else {
          out.push({ frame, mask: step.mask, confidence: step.confidence, state: 'proposed', mode: 'local' })
          previous = next
        }
      } else {
        out.push({ frame, mask: step.mask, confidence: step.confidence, state: 'proposed', mode: 'local' })
        previous = next
      }
      if (!lost || out[out.length - 1]?.frame === frame) continue
    }
    // Lost: search the whole frame as the image engine does; a confident find resumes local tracking.
    const found = await globalFind(embedding)
    sinceGlobal = 0
    const instance = found.instances[0]
    if (found.absent || !instance) {
      out.push({ frame, mask: null, confidence: found.bestConfidence, state: 'absent', mode: 'global' })
      continue
    }
    const next = footprint(instance.mask, width, height)!
    const sure = instance.confidence >= options.flagThreshold
    out.push({ frame, mask: instance.mask, confidence: instance.confidence, state: sure ? 'proposed' : 'flagged', mode: 'global' })
    if (sure) {
      previous = next
      lost = false
    }
  }
  return out
}
