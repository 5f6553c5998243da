/**
 * How many frames a sampling keeps, and the FFmpeg select expression that keeps them. A chosen
 * fps keeps the first frame of each 1/fps interval of the video's own timeline, so the frames
 * keep their real timestamps (no frame is duplicated or re-timed, unlike FFmpeg's fps filter).
 */
import type { FrameSampling } from '../ipc/dto/video'

/** Timestamps within this fraction of an interval of its boundary count as on it (pts are rounded to the time base). */
const BOUNDARY_SLACK = 1e-4

/**
 * Frames kept from a video of `frameCount` frames at `nativeFps`: exact for native and every-Nth;
 * for a chosen fps exact at a constant frame rate (frame i at i/nativeFps fills interval
 * floor(i*fps/nativeFps), and no interval in between is empty), an estimate for a variable one.
 */
export function sampledFrameCount(frameCount: number, nativeFps: number, sampling: FrameSampling): number {
  if (sampling === 'native') return frameCount
  if ('everyNth' in sampling) return Math.ceil(frameCount / sampling.everyNth)
  if (!(nativeFps > 0) || sampling.fps >= nativeFps) return frameCount
  return Math.min(frameCount, Math.floor(((frameCount - 1) * sampling.fps) / nativeFps + BOUNDARY_SLACK) + 1)
}

/** The argument of FFmpeg's select filter for a sampling, or null when every frame is kept. */
export function selectExpression(sampling: FrameSampling): string | null {
  if (sampling === 'native') return null
  if ('everyNth' in sampling) return sampling.everyNth === 1 ? null : `not(mod(n\\,${sampling.everyNth}))`
  const bin = (t: string): string => `floor(${t}*${sampling.fps}+${BOUNDARY_SLACK})`
  // The first frame, then each frame that opens a new 1/fps interval.
  return `isnan(prev_selected_t)+gt(${bin('t')}\\,${bin('prev_selected_t')})`
}
