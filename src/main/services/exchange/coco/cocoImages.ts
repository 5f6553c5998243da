/**
 * Matches the images of a COCO file to the project's by file_name: the same relative path,
 * else the same file name when exactly one project image has it, else (with imagesDir) a file at
 * that path under imagesDir, probed and added by the import. A match whose size differs from the
 * file's width/height (the size after EXIF orientation) is skipped: its masks would not fit.
 */
import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { ImageProbe } from '../../images/probe'
import type { Project } from '../../store/index'
import { probeAll } from '../folderImport'
import type { CocoImage } from './cocoSchema'

export type ImageResolution =
  | { readonly kind: 'existing'; readonly imageId: number }
  | { readonly kind: 'new'; readonly file: string; readonly probe: ImageProbe }
  | { readonly kind: 'skipped'; readonly reason: string }

export interface ResolveOptions {
  readonly imagesDir?: string
  readonly signal?: AbortSignal
}

/** file_name as the project stores paths: '/' separators, no leading './'. */
export function normalizeFileName(fileName: string): string {
  return fileName.replace(/\\/g, '/').replace(/^(\.\/)+/, '')
}

export async function resolveCocoImages(project: Project, images: ReadonlyMap<number, CocoImage>, options: ResolveOptions = {}): Promise<Map<number, ImageResolution>> {
  const resolution = new Map<number, ImageResolution>()
  const byName = basenameIndex(project)
  const toProbe: { cocoId: number; file: string }[] = []
  const sizeOf = new Map<number, { width: number; height: number }>()
  for (const image of project.images.iterate()) sizeOf.set(image.id, image)

  for (const [cocoId, image] of images) {
    const name = normalizeFileName(image.file_name)
    const existing = project.images.byRelPath(name)?.id ?? byName.get(path.posix.basename(name)) ?? undefined
    if (existing !== undefined && existing !== null) {
      resolution.set(cocoId, checkSize(image, sizeOf.get(existing)!, { kind: 'existing', imageId: existing }))
      continue
    }
    if (options.imagesDir !== undefined && !path.isAbsolute(name) && !name.split('/').includes('..')) {
      const file = path.join(options.imagesDir, ...name.split('/'))
      if ((await stat(file).catch(() => null))?.isFile()) {
        toProbe.push({ cocoId, file })
        continue
      }
    }
    const why = existing === null ? 'several project images have this file name' : 'not in the project'
    resolution.set(cocoId, { kind: 'skipped', reason: options.imagesDir === undefined ? why : `${why}, nor under ${options.imagesDir}` })
  }

  const probes = await probeAll(
    toProbe.map((entry) => entry.file),
    options.signal ? { signal: options.signal } : {},
  )
  const hashes = project.images.contentHashes()
  toProbe.forEach(({ cocoId, file }, i) => {
    const probe = probes[i]!
    if (probe instanceof Error) return resolution.set(cocoId, { kind: 'skipped', reason: probe.message })
    const sameContent = hashes.get(probe.contentHash)
    const target: ImageResolution =
      sameContent !== undefined ? { kind: 'existing', imageId: project.images.byRelPath(sameContent)!.id } : { kind: 'new', file, probe }
    resolution.set(cocoId, checkSize(images.get(cocoId)!, probe, target))
  })
  return resolution
}

function checkSize(image: CocoImage, actual: { width: number; height: number }, match: ImageResolution): ImageResolution {
  if (image.width === actual.width && image.height === actual.height) return match
  return {
    kind: 'skipped',
    reason: `its size in the file is ${image.width}x${image.height} but the image is ${actual.width}x${actual.height} (width x height after EXIF orientation); its masks would not fit`,
  }
}

/** File name -> image id, or null when several images share the name. */
function basenameIndex(project: Project): Map<string, number | null> {
  const index = new Map<string, number | null>()
  for (const image of project.images.iterate()) {
    const name = path.posix.basename(image.relPath)
    index.set(name, index.has(name) ? null : image.id)
  }
  return index
}
