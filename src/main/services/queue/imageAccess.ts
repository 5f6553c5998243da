/**
 * How a worker reaches a task's image: through shared storage (`--map-path studioPrefix=workerPrefix`)
 * or by fetching it from the studio's image server with the run's token. Embeddings never travel:
 * each worker encodes (and caches) on its own.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { ImageAccess, ImageTask } from './taskCodec'

export interface PathMapping {
  readonly from: string
  readonly to: string
}

/** `--map-path /studio/prefix=/worker/prefix`. */
export function parsePathMapping(value: string): PathMapping {
  const at = value.indexOf('=')
  if (at <= 0 || at === value.length - 1) throw new Error(`--map-path "${value}": expected /studio/prefix=/worker/prefix`)
  return { from: value.slice(0, at), to: value.slice(at + 1) }
}

/** The first mapping whose prefix covers the file (on a path boundary), applied; else the file. */
export function mapStudioPath(file: string, mappings: readonly PathMapping[]): string {
  for (const { from, to } of mappings) {
    const prefix = from.endsWith('/') ? from : `${from}/`
    if (file === from || file.startsWith(prefix)) return to.replace(/\/$/, '') + file.slice(from.replace(/\/$/, '').length)
  }
  return file
}

export interface LocalImage {
  readonly file: string
  release(): Promise<void>
}

/** Makes a task's image a local file (mapped, or downloaded into a temporary folder). */
export async function localImage(task: ImageTask, access: ImageAccess, mappings: readonly PathMapping[]): Promise<LocalImage> {
  if (access.kind === 'path') return { file: mapStudioPath(task.file, mappings), release: async () => undefined }
  const url = `${access.url.replace(/\/$/, '')}/runs/${encodeURIComponent(task.run)}/images/${task.imageId}`
  const response = await fetch(url, { headers: { authorization: `Bearer ${access.token}` } })
  if (!response.ok) throw new Error(`image ${task.imageId}: the studio answered ${response.status} for ${url}`)
  const dir = path.join(tmpdir(), `persam-worker-${process.pid}`)
  await mkdir(dir, { recursive: true })
  const file = path.join(dir, `${task.run}-${task.imageId}${path.extname(task.file)}`)
  await writeFile(file, Buffer.from(await response.arrayBuffer()))
  return { file, release: () => rm(file, { force: true }) }
}
