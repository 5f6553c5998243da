/**
 * Where the FFmpeg and FFprobe executables are. They come from npm packages with one static
 * build per platform (@ffmpeg-installer/ffmpeg, @ffprobe-installer/ffprobe), so the studio needs
 * no system FFmpeg and no download outside the package registry. A packaged Electron app keeps
 * them in app.asar.unpacked (electron-builder asarUnpack): an executable inside the asar archive
 * cannot be started, so the path the package reports is rewritten to the unpacked copy.
 */
import { accessSync, constants, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { StudioError } from '../../../common/ipc/result'

export type VideoTool = 'ffmpeg' | 'ffprobe'

const PACKAGES: Record<VideoTool, string> = { ffmpeg: '@ffmpeg-installer/ffmpeg', ffprobe: '@ffprobe-installer/ffprobe' }

const resolved = new Map<VideoTool, string>()

/** The unpacked twin of a path inside a packaged app's app.asar (unchanged elsewhere). */
export function unpackedPath(file: string): string {
  return file.replace(/app\.asar(?=[\\/])/, 'app.asar.unpacked')
}

/** Throws a StudioError naming `file` unless it is an executable regular file. */
export function assertExecutable(file: string, tool: VideoTool): void {
  let isFile = false
  try {
    isFile = statSync(file).isFile()
  } catch {
    throw new StudioError('not-found', `${tool} was not found at ${file}; reinstall the studio (the ${PACKAGES[tool]} package is missing or incomplete)`)
  }
  if (!isFile) throw new StudioError('not-found', `${tool} at ${file} is not a file`)
  try {
    accessSync(file, constants.X_OK)
  } catch {
    throw new StudioError('internal', `${tool} at ${file} is not executable; make it executable (chmod +x "${file}") or reinstall the studio`)
  }
}

/** The checked path of `tool`, resolved once per process. */
export function videoToolPath(tool: VideoTool): string {
  const known = resolved.get(tool)
  if (known) return known
  let reported: string
  try {
    const require = createRequire(import.meta.url)
    reported = (require(PACKAGES[tool]) as { path: string }).path
  } catch (error) {
    // The installer packages throw plain strings for an unsupported platform or a missing binary.
    const reason = error instanceof Error ? error.message : String(error)
    throw new StudioError('not-found', `${tool} is not available on this platform (${PACKAGES[tool]}: ${reason})`)
  }
  const file = unpackedPath(reported)
  assertExecutable(file, tool)
  resolved.set(tool, file)
  return file
}
