/**
 * The sequence half of `persam-studio import`: `--video FILE [--fps N | --every N]` extracts the
 * video's frames and imports them as one sequence; `--frames DIR [--fps N]` imports a folder of
 * frames. Ctrl-C cancels cleanly: FFmpeg is stopped and the half-written frames removed.
 */
import type { FrameSampling } from '../common/ipc/dto/video'
import { importFrameFolder, importVideo } from '../main/services/exchange/sequenceImport'
import type { Project } from '../main/services/store/index'
import { createProgressBar } from './progress'

export interface SequenceCliOptions {
  readonly video?: string
  readonly frames?: string
  readonly fps?: string
  readonly every?: string
  readonly name?: string
  readonly framesFolder?: string
}

export type SequenceSource = { readonly kind: 'video'; readonly file: string } | { readonly kind: 'frames'; readonly folder: string }

function positiveNumber(flag: string, value: string, integer: boolean): number {
  const n = Number(value)
  if (!(Number.isFinite(n) && n > 0 && (!integer || Number.isInteger(n)))) throw new Error(`${flag} must be a positive ${integer ? 'whole ' : ''}number, got "${value}"`)
  return n
}

/** Which sequence source the options name (null for an annotation import); refuses options that do not fit it. */
export function sequenceSource(options: SequenceCliOptions): SequenceSource | null {
  // Checked before any project is created or opened.
  if (options.fps !== undefined) positiveNumber('--fps', options.fps, false)
  if (options.every !== undefined) positiveNumber('--every', options.every, true)
  const sequenceOnly = options.fps !== undefined || options.every !== undefined || options.name !== undefined || options.framesFolder !== undefined
  if (options.video !== undefined) {
    if (options.fps !== undefined && options.every !== undefined) throw new Error('give at most one of --fps N or --every N')
    return { kind: 'video', file: options.video }
  }
  if (options.frames !== undefined) {
    if (options.every !== undefined || options.framesFolder !== undefined) throw new Error('--every and --frames-folder go with --video')
    return { kind: 'frames', folder: options.frames }
  }
  if (sequenceOnly) throw new Error('--fps, --every, --name and --frames-folder go with --video or --frames')
  return null
}

function sampling(options: SequenceCliOptions): FrameSampling {
  if (options.fps !== undefined) return { fps: positiveNumber('--fps', options.fps, false) }
  if (options.every !== undefined) return { everyNth: positiveNumber('--every', options.every, true) }
  return 'native'
}

export async function runSequenceImport(project: Project, source: SequenceSource, options: SequenceCliOptions, created: boolean): Promise<void> {
  const controller = new AbortController()
  const interrupt = (): void => controller.abort()
  process.once('SIGINT', interrupt)
  try {
    const progress = createProgressBar(source.kind === 'video' ? 'import video' : 'import frames')
    const common = {
      name: options.name,
      signal: controller.signal,
      onProgress: ({ phase, done, total }: { phase: string; done: number; total: number }) => progress.update(done, total, phase),
    }
    const report =
      source.kind === 'video'
        ? await importVideo(project, source.file, { ...common, sampling: sampling(options), framesFolder: options.framesFolder })
        : await importFrameFolder(project, source.folder, { ...common, fps: options.fps === undefined ? undefined : positiveNumber('--fps', options.fps, false) })
    progress.finish(
      `${created ? 'created the project and ' : ''}imported sequence "${report.name}": ${report.frames} frames (${report.newImages} new images) from ${report.folder} into ${project.dir}`,
    )
  } finally {
    process.removeListener('SIGINT', interrupt)
  }
}
