/**
 * Tracking one object from one keyframe, frame after frame in one direction, until the frame
 * before the next keyframe (docs/video-tracking.md, "Spans", "Drift and loss"). While the object
 * is followed, each frame is a local step around where the previous box's motion takes it; a step
 * below the track's usual confidence is checked against a global search (the image engine) and
 * the better mask kept; a mask well below that level is absent, and one that jumps in size or
 * position is flagged, the next frame then re-detected globally. Every few local frames a global
 * search checks that the track has not settled on a look-alike.
 */
import { maskIou, resizeMask, type BinaryMask } from '../mask'
import type { ImageEmbedding, MaskExtent, SamDecoderPort } from '../sam/port'
import type { PromptBox } from '../sam/prompts'
import { DEFAULT_ABSENT_THRESHOLD } from './confidence'
import { segmentImage } from './segment'
import type { PreparedTarget } from './target'
import { extentBox, maskExtent, trackStep, type TrackStepOptions } from './trackStep'

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
  /** A local step this far below the track's usual confidence is also searched globally, and the better mask kept. */
  readonly doubtMargin: number
  /** A frame this far below the track's usual confidence is absent (never below `absentThreshold`'s bar). */
  readonly lossMargin: number
  /** How fast the track's usual confidence follows its proposed frames (running mean weight of the newest). */
  readonly levelRate: number
  /** Weight of the IoU with the previous mask when the local and the global mask compete. */
  readonly consistencyWeight: number
  /** Look for the object where its last displacement would take it (constant velocity) instead of where it was. */
  readonly followMotion: boolean
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
  recheckEvery: 8,
  doubtMargin: 0.01,
  lossMargin: 0.08,
  levelRate: 0.25,
  consistencyWeight: 0.05,
  followMotion: true,
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
  return footprintOf(maskExtent(mask), mask, width, height)
}

/** The footprint from a mask's extent (the decoder reports it, so the local step needs no pass over the mask). */
function footprintOf(extent: MaskExtent, mask: BinaryMask, width: number, height: number): Footprint | null {
  const box = extentBox(extent, mask.width, mask.height, width, height)
  return box ? { box, coverage: extent.area / (mask.width * mask.height) } : null
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

const centre = (box: PromptBox): [number, number] => [(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2]

const shiftBox = (box: PromptBox, [dx, dy]: readonly [number, number]): PromptBox => ({ x0: box.x0 + dx, y0: box.y0 + dy, x1: box.x1 + dx, y1: box.y1 + dy })

interface Candidate {
  readonly mask: BinaryMask
  readonly print: Footprint
  readonly confidence: number
  readonly mode: 'local' | 'global'
}

/**
 * Between the local step's mask and the global search's, the one that matches the target better
 * (the confidence: mostly the mask-level feature match) and agrees with where the object just was
 * (IoU with the previous mask, weighted by `consistencyWeight`).
 */
function choose(local: Candidate | null, global: Candidate | null, previousMask: BinaryMask, consistencyWeight: number): Candidate | null {
  const score = (c: Candidate) => c.confidence + consistencyWeight * maskIou(sameSize(previousMask, c.mask), c.mask)
  if (!local || !global) return local ?? global
  return score(global) > score(local) ? global : local
}

type Seen = Footprint & { readonly mask: BinaryMask; readonly frame: number }

export async function trackSpan(request: SpanRequest): Promise<TrackedFrame[]> {
  const options: TrackOptions = { ...DEFAULT_TRACK_OPTIONS, ...request.options }
  const { target, decoder, direction, stop } = request
  const out: TrackedFrame[] = []
  // The last trusted mask (proposed, or the keyframe): local steps start from it while not lost.
  let trusted: Seen | null = null
  let lost = true
  let sinceGlobal = 0
  // The object's last displacement per frame (constant-velocity prediction of where to look next).
  let velocity: readonly [number, number] = [0, 0]
  // The confidence this track usually reaches (a running mean over its proposed frames): a frame
  // well below it is not the object, even above the fixed absent threshold (a look-alike while the
  // object is away); a local step a little below it is checked against a global search.
  let level: number | null = null
  const lossLevel = () => Math.max(options.absentThreshold, level === null ? 0 : level - options.lossMargin)

  const record = (frame: number, chosen: Candidate | null, state: TrackState, confidence: number) => {
    out.push({ frame, mask: chosen?.mask ?? null, confidence, state, mode: chosen?.mode ?? 'global' })
    if (!chosen || state !== 'proposed') {
      // Absent or flagged: the next frame is searched globally and the motion is measured afresh.
      lost = true
      velocity = [0, 0]
      return
    }
    const now: Seen = { ...chosen.print, mask: chosen.mask, frame }
    const from = trusted as Seen | null
    // Motion is measured only between two trusted masks on consecutive frames (a flagged mask may be a look-alike).
    velocity = options.followMotion && from && from.frame === frame - direction ? [centre(now.box)[0] - centre(from.box)[0], centre(now.box)[1] - centre(from.box)[1]] : [0, 0]
    trusted = now
    lost = false
    level = level === null ? confidence : level + options.levelRate * (confidence - level)
  }
  const globalFind = async (embedding: ImageEmbedding): Promise<{ found: Candidate | null; best: number }> => {
    sinceGlobal = 0
    const result = await segmentImage(target, embedding, decoder, {
      candidates: options.redetectCandidates,
      absentThreshold: options.absentThreshold,
      confidence: options.confidence,
      outputSize: options.outputSize,
    })
    const instance = result.instances[0]
    const print = instance && footprint(instance.mask, embedding.geometry.originalWidth, embedding.geometry.originalHeight)
    return { found: instance && print ? { mask: instance.mask, print, confidence: instance.confidence, mode: 'global' } : null, best: result.bestConfidence }
  }

  for (let frame = request.keyframe + direction; direction > 0 ? frame < stop : frame > stop; frame += direction) {
    const embedding = await request.embed(frame)
    const { originalWidth: width, originalHeight: height } = embedding.geometry
    if (frame === request.keyframe + direction) {
      const print = footprint(request.keyframeMask, width, height)
      trusted = print && { ...print, mask: request.keyframeMask, frame: request.keyframe }
      lost = trusted === null
    }
    const last = trusted as Seen | null
    if (lost || last === null) {
      // Lost: search the whole frame as the image engine does; a find as confident as the track resumes it.
      const { found, best } = await globalFind(embedding)
      if (!found || found.confidence < lossLevel()) record(frame, null, 'absent', best)
      else record(frame, found, found.confidence >= options.flagThreshold ? 'proposed' : 'flagged', found.confidence)
      continue
    }
    // Where the object should be now (moved on by its last displacement): the drift bounds are measured from there.
    const expected: Footprint = { box: shiftBox(last.box, velocity), coverage: last.coverage }
    const step = await trackStep(target, embedding, decoder, expected.box, options)
    const localPrint = footprintOf(step.extent, step.mask, width, height)
    const local: Candidate | null = localPrint && { mask: step.mask, print: localPrint, confidence: step.confidence, mode: 'local' }
    const doubtful = !localPrint || (level !== null && step.confidence < level - options.doubtMargin) || step.confidence < options.flagThreshold || jumped(expected, localPrint, options)
    const due = options.recheckEvery > 0 && ++sinceGlobal >= options.recheckEvery
    let chosen = local
    let best = step.confidence
    if (doubtful || due) {
      const global = await globalFind(embedding)
      best = Math.max(best, global.best)
      chosen = choose(local, global.found, last.mask, options.consistencyWeight)
    }
    if (!chosen || chosen.confidence < lossLevel()) {
      record(frame, null, 'absent', best)
      continue
    }
    // A mask that jumped, or a weak one, is kept for review and the next frame is searched globally.
    const drifted = chosen.confidence < options.flagThreshold || jumped(expected, chosen.print, options)
    record(frame, chosen, drifted ? 'flagged' : 'proposed', chosen.confidence)
  }
  return out
}
