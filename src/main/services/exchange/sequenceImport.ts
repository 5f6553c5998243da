/**
 * Imports a video or a folder of frames as one sequence. The frames become ordinary images of
 * the project (so masks, review and exports need nothing new) and the sequence records their
 * order and timestamps. Files are probed first with nothing written; then one transaction adds
 * the images and the sequence, so an import either completes or leaves the project unchanged.
 * Frames with identical content are all kept (a still scene is still a run of frames).
 * A video's frames are extracted into a folder first (see video/extract) and kept there: reading
 * a stored frame is far cheaper than seeking and decoding it again on every visit.
 */
import type { Dirent } from 'node:fs'
import { readdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import type { FrameSampling } from '../../../common/ipc/dto/video'
import { StudioError } from '../../../common/ipc/result'
import { naturalCompare } from '../../../common/util/naturalOrder'
import { hasImageExtension, type ImageProbe } from '../images/probe'
import { toRelPath, type Project, type SequenceRecord } from '../store/index'
import { extractFrames } from '../video/extract'
import { probeVideo } from '../video/probe'
import { probeAll } from './folderImport'
import type { ProgressListener } from './report'

export interface SequenceImportOptions {
  /** The sequence's name; default: the folder's or the video's name. */
  readonly name?: string
  readonly signal?: AbortSignal
  readonly onProgress?: ProgressListener
}

export interface SequenceImportReport {
  readonly sequenceId: number
  readonly name: string
  readonly frames: number
  /** Frames that were not yet images of the project. */
  readonly newImages: number
  /** Where the frames are (the frame folder, or the folder the video's frames were extracted into). */
  readonly folder: string
}

interface PendingFrame {
  readonly file: string
  readonly probe: ImageProbe
  readonly timestampMs: number | null
}

/** The image files directly inside `folder` (hidden files skipped) in natural name order: frame2 before frame10. */
export async function listFrameFiles(folder: string): Promise<string[]> {
  const entries: Dirent[] = await readdir(folder, { withFileTypes: true })
  return entries
    .filter((entry) => !entry.name.startsWith('.') && (entry.isFile() || entry.isSymbolicLink()) && hasImageExtension(entry.name))
    .map((entry) => entry.name)
    .sort(naturalCompare)
    .map((name) => path.join(folder, name))
}

function sequenceName(project: Project, requested: string | undefined, fallback: string): string {
  const name = (requested ?? fallback).trim()
  if (name === '') throw new StudioError('invalid-input', 'a sequence needs a name')
  if (project.sequences.byName(name)) throw new StudioError('conflict', `a sequence named "${name}" already exists; choose another name`)
  return name
}

/** Probes every frame; any unreadable frame fails the import (a sequence with a hole would mislead tracking). */
async function probeFrames(files: readonly string[], options: SequenceImportOptions): Promise<ImageProbe[]> {
  const probes = await probeAll(files, { signal: options.signal, onProgress: options.onProgress }, 'probe')
  return probes.map((probe, i) => {
    if (probe instanceof Error) throw new StudioError('invalid-input', probe.message.startsWith(files[i]!) ? probe.message : `${files[i]}: ${probe.message}`)
    return probe
  })
}

/** One transaction: the folder joins the images root, new frames become images, the sequence is created. */
function storeSequence(project: Project, folder: string, sequence: { name: string; source: 'video' | 'frames'; sourcePath: string; fps: number | null }, frames: readonly PendingFrame[]): { record: SequenceRecord; newImages: number } {
  return project.transaction(() => {
    project.coverFolder(folder)
    let newImages = 0
    const imageIds = frames.map(({ file, probe }) => {
      const relPath = toRelPath(project.imagesRoot, file)
      const existing = project.images.byRelPath(relPath)
      if (existing) {
        if (existing.contentHash !== probe.contentHash) throw new StudioError('conflict', `${file} is already in the project but its content changed since; not imported`)
        return existing.id
      }
      newImages++
      const [added] = project.images.add([{ relPath, contentHash: probe.contentHash, byteSize: probe.byteSize, width: probe.width, height: probe.height, format: probe.format }])
      return added!.id
    })
    const record = project.sequences.create(
      sequence,
      frames.map((frame, frameIndex) => ({ imageId: imageIds[frameIndex]!, frameIndex, timestampMs: frame.timestampMs })),
    )
    return { record, newImages }
  })
}

/** Imports the images directly inside `folder` as one sequence in natural name order; with `fps`, frame i gets the timestamp i/fps. */
export async function importFrameFolder(project: Project, folder: string, options: SequenceImportOptions & { readonly fps?: number } = {}): Promise<SequenceImportReport> {
  const root = path.resolve(folder)
  const info = await stat(root).catch(() => null)
  if (!info?.isDirectory()) throw new StudioError('invalid-input', `${folder} is not a folder`)
  if (options.fps !== undefined && !(Number.isFinite(options.fps) && options.fps > 0)) throw new StudioError('invalid-input', `fps must be a positive number, got ${options.fps}`)
  const name = sequenceName(project, options.name, path.basename(root))
  const files = await listFrameFiles(root)
  if (files.length === 0) throw new StudioError('invalid-input', `${root} holds no images (jpg, png, webp, tiff, bmp)`)
  const probes = await probeFrames(files, options)
  const frames = files.map((file, i) => ({ file, probe: probes[i]!, timestampMs: options.fps ? Math.round((i * 1e6) / options.fps) / 1e3 : null }))
  const { record, newImages } = storeSequence(project, root, { name, source: 'frames', sourcePath: root, fps: options.fps ?? null }, frames)
  return { sequenceId: record.id, name: record.name, frames: record.frameCount, newImages, folder: root }
}

export interface VideoImportOptions extends SequenceImportOptions {
  readonly sampling?: FrameSampling
  /** Where the extracted frames go; default: `<video folder>/<video name>_frames`. */
  readonly framesFolder?: string
}

/** The frame rate of the kept frames. */
function sampledFps(nativeFps: number, sampling: FrameSampling): number | null {
  if (!(nativeFps > 0)) return null
  if (sampling === 'native') return nativeFps
  if ('everyNth' in sampling) return nativeFps / sampling.everyNth
  return Math.min(nativeFps, sampling.fps)
}

/** Extracts the video's frames (see extractFrames) and imports them as one sequence; the extracted folder is removed again if the import fails. */
export async function importVideo(project: Project, video: string, options: VideoImportOptions = {}): Promise<SequenceImportReport> {
  const probe = await probeVideo(video)
  const sampling = options.sampling ?? 'native'
  const name = sequenceName(project, options.name, path.basename(probe.path, path.extname(probe.path)))
  const extraction = await extractFrames(probe.path, {
    probe,
    sampling,
    folder: options.framesFolder,
    signal: options.signal,
    onProgress: (done, total) => options.onProgress?.({ phase: 'extract', done, total }),
  })
  try {
    const files = extraction.frames.map((frame) => frame.file)
    const probes = await probeFrames(files, options)
    const frames = extraction.frames.map((frame, i) => ({ file: frame.file, probe: probes[i]!, timestampMs: frame.timestampMs }))
    const { record, newImages } = storeSequence(project, extraction.folder, { name, source: 'video', sourcePath: probe.path, fps: sampledFps(probe.fps, sampling) }, frames)
    return { sequenceId: record.id, name: record.name, frames: record.frameCount, newImages, folder: extraction.folder }
  } catch (error) {
    await rm(extraction.folder, { recursive: true, force: true })
    throw error
  }
}
