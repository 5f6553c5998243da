/**
 * Encodes RGB frames into a video file with the bundled FFmpeg: for tests, benchmarks and the
 * browser tests, which need real videos made from known frames. Frames are piped in raw, so
 * nothing but the video is written.
 */
import { spawn } from 'node:child_process'
import { StudioError } from '../../../common/ipc/result'
import { videoToolPath } from './binaries'

export type VideoCodec = 'h264' | 'mpeg4' | 'vp9'

export interface EncodeOptions {
  readonly width: number
  readonly height: number
  /** Frame rate as FFmpeg takes it: "25", "30000/1001". */
  readonly fps: string
  readonly codec: VideoCodec
  /** An FFmpeg select expression: only frames it keeps are written, with their original timestamps (a variable frame rate). */
  readonly keepFrames?: string
}

const CODEC_ARGS: Record<VideoCodec, string[]> = {
  h264: ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '12', '-pix_fmt', 'yuv420p'],
  mpeg4: ['-c:v', 'mpeg4', '-q:v', '2', '-pix_fmt', 'yuv420p'],
  vp9: ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-crf', '20', '-b:v', '0', '-pix_fmt', 'yuv420p'],
}

/** Writes `frames` (row-major RGB, width*height*3 bytes each) to `file`; the container follows the extension. */
export async function encodeVideo(file: string, frames: Iterable<Uint8Array>, options: EncodeOptions): Promise<void> {
  const filter = options.keepFrames ? ['-vf', `select=${options.keepFrames}`, '-vsync', 'vfr'] : []
  const args = [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${options.width}x${options.height}`, '-r', options.fps, '-i', 'pipe:0'],
    ...filter,
    ...CODEC_ARGS[options.codec],
    file,
  ]
  const child = spawn(videoToolPath('ffmpeg'), args, { stdio: ['pipe', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const closed = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', resolve)
  })
  child.stdin.on('error', () => {}) // a failing FFmpeg closes its input; the exit code says why
  for (const frame of frames) {
    if (child.exitCode !== null) break
    if (!child.stdin.write(frame)) await Promise.race([new Promise((resolve) => child.stdin.once('drain', resolve)), closed])
  }
  child.stdin.end()
  const code = await closed
  if (code !== 0) throw new StudioError('io', `${file}: FFmpeg could not encode the video (${stderr.trim().split('\n').pop()})`)
}
