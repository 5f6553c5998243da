/**
 * Extracts a video's frames into a folder of images with FFmpeg, one file per kept frame, each
 * with its timestamp taken from the decoded frame's own pts (read from FFmpeg's showinfo filter),
 * so variable frame rates and 29.97 fps come out right. Frames are written into a hidden folder
 * beside the target and renamed into place at the end; on cancel or failure that folder is
 * removed, so no half-extracted folder is left behind. An existing non-empty folder is never
 * overwritten.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises'
import path from 'node:path'
import type { FrameSampling } from '../../../common/ipc/dto/video'
import { StudioError } from '../../../common/ipc/result'
import { sampledFrameCount, selectExpression } from '../../../common/video/sampling'
import { probeVideo, type VideoProbe } from './probe'
import { runTool } from './runTool'

export type FrameFormat = 'jpg' | 'png'

export interface ExtractOptions {
  readonly sampling?: FrameSampling
  /** Where the frames go; default: `<video folder>/<video name>_frames`. */
  readonly folder?: string
  /** JPEG (quality 2 of 31: small, visually lossless; the default) or PNG (lossless, several times larger and slower). */
  readonly format?: FrameFormat
  readonly signal?: AbortSignal
  readonly onProgress?: (done: number, total: number) => void
  /** A probe already made of this video (saves running FFprobe again). */
  readonly probe?: VideoProbe
}

export interface ExtractedFrame {
  readonly file: string
  /** Time since the video's first frame, from the frame's pts. */
  readonly timestampMs: number
}

export interface Extraction {
  readonly folder: string
  readonly probe: VideoProbe
  readonly frames: readonly ExtractedFrame[]
}

export function defaultFramesFolder(video: string): string {
  const absolute = path.resolve(video)
  return path.join(path.dirname(absolute), `${path.basename(absolute, path.extname(absolute))}_frames`)
}

/** Refuses a target that exists and holds anything; returns whether an empty folder is there (to be replaced). */
export async function checkFramesFolder(folder: string): Promise<boolean> {
  const existing = await stat(folder).catch(() => null)
  if (!existing) return false
  if (!existing.isDirectory()) throw new StudioError('conflict', `${folder} already exists and is not a folder; choose another frames folder`)
  if ((await readdir(folder)).length > 0) throw new StudioError('conflict', `${folder} already exists and is not empty; choose another frames folder or remove it`)
  return true
}

const SHOWINFO = /Parsed_showinfo.*\bn:\s*\d+\s+pts:\s*-?\d+\s+pts_time:\s*(-?[\d.]+(?:e[-+]?\d+)?)/

/** The FFmpeg arguments that write the kept frames of `video` into `folder`. */
export function extractionArgs(video: string, folder: string, sampling: FrameSampling, format: FrameFormat): string[] {
  const select = selectExpression(sampling)
  const filters = [...(select ? [`select=${select}`] : []), 'showinfo'].join(',')
  const quality = format === 'jpg' ? ['-q:v', '2'] : ['-pix_fmt', 'rgb24']
  return [
    ...['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info', '-i', video],
    // Passthrough: each kept frame is written once with its own pts (no duplicates, no drops).
    ...['-map', '0:v:0', '-an', '-sn', '-dn', '-vf', filters, '-vsync', '0', ...quality],
    ...['-progress', 'pipe:1', path.join(folder, `frame_%06d.${format}`)],
  ]
}

export async function extractFrames(video: string, options: ExtractOptions = {}): Promise<Extraction> {
  const probe = options.probe ?? (await probeVideo(video))
  const sampling = options.sampling ?? 'native'
  const format = options.format ?? 'jpg'
  const target = path.resolve(options.folder ?? defaultFramesFolder(probe.path))
  const replaceEmpty = await checkFramesFolder(target)
  const total = sampledFrameCount(probe.frameCount, probe.fps, sampling)
  const partial = path.join(path.dirname(target), `.${path.basename(target)}.partial-${randomBytes(4).toString('hex')}`)
  await mkdir(partial, { recursive: true })
  try {
    const seconds: number[] = []
    options.onProgress?.(0, total)
    const result = await runTool('ffmpeg', extractionArgs(probe.path, partial, sampling, format), {
      signal: options.signal,
      onStderrLine: (line) => {
        const match = SHOWINFO.exec(line)
        if (match) seconds.push(Number(match[1]))
      },
      onStdoutLine: (line) => {
        if (line.startsWith('frame=')) options.onProgress?.(Number(line.slice(6)) || 0, Math.max(total, Number(line.slice(6)) || 0))
      },
    })
    if (result.code !== 0) throw new StudioError('io', `${probe.path}: FFmpeg could not extract the frames (${result.stderrTail.split('\n').pop() ?? `exit code ${result.code}`})`)
    const files = (await readdir(partial)).filter((name) => name.startsWith('frame_')).sort()
    if (files.length === 0) throw new StudioError('invalid-input', `${probe.path}: FFmpeg decoded no frames`)
    if (files.length !== seconds.length) {
      throw new StudioError('internal', `${probe.path}: FFmpeg wrote ${files.length} frames but reported ${seconds.length} timestamps`)
    }
    if (replaceEmpty) await rmdir(target)
    await rename(partial, target)
    const frames = files.map((name, i) => ({
      file: path.join(target, name),
      timestampMs: Math.max(0, Math.round((seconds[i]! - probe.startSeconds) * 1e6) / 1e3),
    }))
    return { folder: target, probe, frames }
  } catch (error) {
    await rm(partial, { recursive: true, force: true })
    throw error
  }
}
