/**
 * The sequence timeline's small state machines, without a clock or a DOM: where a scrub lands,
 * frame steps, the next flagged frame, the next frame to review in frame order, and playback
 * (which frame shows at a given time since play started, at the sequence's fps).
 */
import type { TimelineFrame, TimelineState } from '../../../../common/ipc/dto/sequence'

/** Playback speed when the sequence does not say (frame folders). */
export const DEFAULT_FPS = 10

/** The frame under a pointer at `x` on a strip `width` wide (clamped: a drag past the ends holds the first or last frame). */
export function frameAtPosition(x: number, width: number, frameCount: number): number {
  if (frameCount <= 0 || !(width > 0)) return 0
  const index = Math.floor((x / width) * frameCount)
  return Math.min(frameCount - 1, Math.max(0, Number.isFinite(index) ? index : 0))
}

/** `current` moved by `delta` frames, held inside the sequence. */
export function stepFrame(current: number, delta: number, frameCount: number): number {
  if (frameCount <= 0) return 0
  return Math.min(frameCount - 1, Math.max(0, current + delta))
}

/** The first frame after `current` in one of `states`, wrapping past the end; null when there is none (other than `current`). */
export function nextInStates(frames: readonly Pick<TimelineFrame, 'state'>[], current: number, states: readonly TimelineState[]): number | null {
  for (let offset = 1; offset <= frames.length; offset++) {
    const index = (current + offset) % frames.length
    if (index !== current && states.includes(frames[index]!.state)) return index
  }
  return null
}

/** "Next flagged": the next frame the tracker was unsure about. */
export function nextFlagged(frames: readonly Pick<TimelineFrame, 'state'>[], current: number): number | null {
  return nextInStates(frames, current, ['flagged'])
}

/** Review in frame order: the next frame still holding an undecided proposal (flagged or not). */
export function nextToReview(frames: readonly Pick<TimelineFrame, 'state'>[], current: number): number | null {
  return nextInStates(frames, current, ['flagged', 'proposed'])
}

export interface Playback {
  readonly startFrame: number
  /** The clock's time when play was pressed (ms). */
  readonly startedAt: number
  readonly fps: number
}

export function startPlayback(current: number, frameCount: number, now: number, fps: number | null): Playback {
  // Play on the last frame starts over from the first, as players do.
  return { startFrame: current >= frameCount - 1 ? 0 : current, startedAt: now, fps: fps && fps > 0 ? fps : DEFAULT_FPS }
}

/** The frame to show at `now`, and whether playback reached the last frame (it stops there). */
export function playbackFrame(playback: Playback, now: number, frameCount: number): { frame: number; ended: boolean } {
  const elapsed = Math.max(0, now - playback.startedAt)
  const frame = playback.startFrame + Math.floor((elapsed * playback.fps) / 1000)
  return frame >= frameCount - 1 ? { frame: Math.max(0, frameCount - 1), ended: true } : { frame, ended: false }
}

/** Counts per state, for the strip's legend. */
export function stateCounts(frames: readonly Pick<TimelineFrame, 'state'>[]): Record<TimelineState, number> {
  const counts: Record<TimelineState, number> = { keyframe: 0, proposed: 0, accepted: 0, flagged: 0, absent: 0, none: 0 }
  for (const frame of frames) counts[frame.state]++
  return counts
}
