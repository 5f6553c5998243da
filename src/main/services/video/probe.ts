/**
 * What a video holds, read with FFprobe's JSON output: duration, frame rate, size as shown
 * (rotation applied), rotation and frame count. The frame count is the container's when it
 * records one (MP4, MOV); otherwise (WebM, MKV) the packets are counted, which reads the file
 * but decodes nothing.
 */
import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { VideoProbeInfo } from '../../../common/ipc/dto/video'
import { StudioError } from '../../../common/ipc/result'
import { runTool } from './runTool'

/** What the dialog shows (without the sampling's frame count), and where the stream starts. */
export interface VideoProbe extends Omit<VideoProbeInfo, 'framesToExtract'> {
  /** Time of the stream's first frame in seconds (subtracted from every frame's timestamp). */
  readonly startSeconds: number
}

interface FfprobeStream {
  codec_name?: string
  width?: number
  height?: number
  avg_frame_rate?: string
  r_frame_rate?: string
  start_time?: string
  duration?: string
  nb_frames?: string
  nb_read_packets?: string
  tags?: { rotate?: string }
  side_data_list?: { rotation?: number }[]
  disposition?: { attached_pic?: number }
}

interface FfprobeOutput {
  streams?: FfprobeStream[]
  format?: { format_name?: string; duration?: string; start_time?: string }
}

/** "30000/1001" → 29.97; 0 for "0/0" or garbage. */
export function parseRate(rate: string | undefined): number {
  const [num, den] = (rate ?? '').split('/').map(Number)
  const value = den === undefined ? num! : num! / den
  return Number.isFinite(value) && value > 0 ? value : 0
}

const positive = (value: string | undefined): number | null => {
  const n = Number(value)
  return value !== undefined && Number.isFinite(n) && n > 0 ? n : null
}

/** Clockwise rotation in 0..359 from a display matrix (counter-clockwise degrees) or an old rotate tag. */
function rotationOf(stream: FfprobeStream): number {
  const matrix = stream.side_data_list?.find((entry) => typeof entry.rotation === 'number')?.rotation
  const degrees = matrix !== undefined ? -matrix : Number(stream.tags?.rotate ?? 0)
  return Number.isFinite(degrees) ? (((Math.round(degrees / 90) * 90) % 360) + 360) % 360 : 0
}

async function ffprobe(file: string, countPackets: boolean): Promise<FfprobeOutput> {
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-select_streams', 'v:0']
  if (countPackets) args.push('-count_packets')
  const result = await runTool('ffprobe', [...args, file])
  if (result.code !== 0) {
    const reason = result.stderrTail.split('\n').pop()?.replace(`${file}: `, '') || `ffprobe exited with code ${result.code}`
    throw new StudioError('invalid-input', `${file}: not a video FFmpeg can read (${reason})`)
  }
  return JSON.parse(result.stdout) as FfprobeOutput
}

/** Probes a video file; throws an 'invalid-input' StudioError naming the file when it is not a readable video. */
export async function probeVideo(file: string): Promise<VideoProbe> {
  const absolute = path.resolve(file)
  const info = await stat(absolute).catch(() => null)
  if (!info) throw new StudioError('not-found', `${absolute} does not exist`)
  if (!info.isFile()) throw new StudioError('invalid-input', `${absolute} is not a file`)
  let output = await ffprobe(absolute, false)
  let stream = output.streams?.find((s) => s.disposition?.attached_pic !== 1)
  const container = output.format?.format_name ?? ''
  if (!stream) throw new StudioError('invalid-input', `${absolute}: has no video stream`)
  if (container === 'image2' || container.endsWith('_pipe')) throw new StudioError('invalid-input', `${absolute}: is a still image, not a video`)
  if (positive(stream.nb_frames) === null) {
    output = await ffprobe(absolute, true)
    stream = output.streams?.find((s) => s.disposition?.attached_pic !== 1) ?? stream
  }
  const fps = parseRate(stream.avg_frame_rate) || parseRate(stream.r_frame_rate)
  const durationSeconds = positive(stream.duration) ?? positive(output.format?.duration) ?? 0
  const frameCount = positive(stream.nb_frames) ?? positive(stream.nb_read_packets) ?? Math.round(durationSeconds * fps)
  const width = stream.width ?? 0
  const height = stream.height ?? 0
  if (!(width > 0 && height > 0 && frameCount > 0)) throw new StudioError('invalid-input', `${absolute}: the video stream has no frames FFmpeg can read`)
  const rotation = rotationOf(stream)
  const sideways = rotation === 90 || rotation === 270
  return {
    path: absolute,
    container,
    codec: stream.codec_name ?? 'unknown',
    durationMs: Math.round(durationSeconds * 1000),
    fps,
    width: sideways ? height : width,
    height: sideways ? width : height,
    rotation,
    frameCount,
    startSeconds: Number(stream.start_time ?? output.format?.start_time ?? 0) || 0,
  }
}
