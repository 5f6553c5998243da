/**
 * A project with two frame sequences on disk for the DAVIS and YouTube-VIS tests: "walk" (three
 * 24x16 JPEG frames) and "swim" (two 20x12 PNG frames). Masks are rectangles, so what each pixel
 * should hold is easy to state; `method.objectId` names two dogs apart.
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import type { BinaryMask } from '../../../../../src/common/mask/index'
import { probeImage } from '../../../../../src/main/services/images/probe'
import { Project, storedMaskFromBinary, toRelPath, type AnnotationStatus } from '../../../../../src/main/services/store/index'
import { tempDir } from '../../../../helpers/tempDir'

export function rect(width: number, height: number, x0: number, y0: number, x1: number, y1: number): BinaryMask {
  const data = new Uint8Array(width * height)
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * width + x] = 1
  return { width, height, data }
}

export interface PlannedMask {
  readonly sequence: 'walk' | 'swim'
  readonly frame: number
  readonly category: 'cat' | 'dog'
  readonly objectId?: string
  readonly mask: BinaryMask
  readonly status?: AnnotationStatus
  readonly score?: number | null
}

export interface SequenceProject {
  readonly project: Project
  readonly base: string
  /** Image ids per sequence, in frame order. */
  readonly frames: { readonly walk: number[]; readonly swim: number[] }
  readonly frameFiles: { readonly walk: string[]; readonly swim: string[] }
}

async function writeFrame(file: string, width: number, height: number, shade: number, format: 'jpeg' | 'png'): Promise<void> {
  const rgb = new Uint8Array(width * height * 3)
  for (let p = 0; p < width * height; p++) rgb.set([shade, (p * 7) % 256, 255 - shade], p * 3)
  const image = sharp(rgb, { raw: { width, height, channels: 3 } })
  await (format === 'jpeg' ? image.jpeg({ quality: 90 }) : image.png()).toFile(file)
}

/** Not overlapping: each pixel belongs to at most one object, so a DAVIS round trip is exact. */
export const DISJOINT_MASKS: readonly PlannedMask[] = [
  // walk frame 0 shows only the second dog; frame 1 the cat and the first dog; frame 2 nothing.
  { sequence: 'walk', frame: 0, category: 'dog', objectId: 'd2', mask: rect(24, 16, 2, 2, 8, 9), score: 0.7 },
  { sequence: 'walk', frame: 1, category: 'dog', objectId: 'd2', mask: rect(24, 16, 3, 2, 9, 9), status: 'edited' },
  { sequence: 'walk', frame: 1, category: 'cat', mask: rect(24, 16, 12, 1, 20, 6) },
  { sequence: 'walk', frame: 1, category: 'dog', objectId: 'd1', mask: rect(24, 16, 10, 10, 23, 15), score: 0.9 },
  { sequence: 'swim', frame: 0, category: 'cat', mask: rect(20, 12, 0, 0, 5, 12) },
  { sequence: 'swim', frame: 1, category: 'cat', mask: rect(20, 12, 1, 0, 6, 12) },
  // Proposals and rejected masks stay out of the default export.
  { sequence: 'swim', frame: 1, category: 'dog', mask: rect(20, 12, 10, 2, 18, 10), status: 'proposed', score: 0.5 },
  { sequence: 'walk', frame: 2, category: 'cat', mask: rect(24, 16, 0, 0, 24, 16), status: 'rejected', score: 0.2 },
]

export async function buildSequenceProject(masks: readonly PlannedMask[] = DISJOINT_MASKS): Promise<SequenceProject> {
  const base = tempDir('persam-davis-export-')
  const plan = { walk: { count: 3, width: 24, height: 16, format: 'jpeg' as const }, swim: { count: 2, width: 20, height: 12, format: 'png' as const } }
  const frameFiles = { walk: [] as string[], swim: [] as string[] }
  for (const name of ['walk', 'swim'] as const) {
    const { count, width, height, format } = plan[name]
    mkdirSync(path.join(base, 'photos', name), { recursive: true })
    for (let i = 0; i < count; i++) {
      // Names whose plain string order is not the frame order: frame 10 after frame 9.
      const file = path.join(base, 'photos', name, `f${[9, 10, 11][i]}.${format === 'jpeg' ? 'jpg' : 'png'}`)
      await writeFrame(file, width, height, 40 + 60 * i, format)
      frameFiles[name].push(file)
    }
  }
  const project = Project.create(path.join(base, 'project'), { imagesRoot: path.join(base, 'photos') })
  const frames = { walk: [] as number[], swim: [] as number[] }
  for (const name of ['walk', 'swim'] as const) {
    const probes = await Promise.all(frameFiles[name].map((file) => probeImage(file)))
    const added = project.images.add(probes.map((probe, i) => ({ ...probe, relPath: toRelPath(project.imagesRoot, frameFiles[name][i]!) })))
    frames[name] = added.map((image) => image.id)
    project.sequences.create({ name, source: 'frames' }, added.map((image, i) => ({ imageId: image.id, frameIndex: i * 2, timestampMs: i * 40 })))
  }
  const categoryIds = { cat: project.categories.create({ name: 'cat', supercategory: 'animal' }).id, dog: project.categories.create({ name: 'dog' }).id }
  for (const planned of masks) {
    project.annotations.create({
      imageId: frames[planned.sequence][planned.frame]!,
      categoryId: categoryIds[planned.category],
      mask: storedMaskFromBinary(planned.mask),
      status: planned.status ?? 'accepted',
      source: planned.score === undefined || planned.score === null ? 'manual' : 'persam',
      score: planned.score ?? null,
      ...(planned.objectId !== undefined ? { method: { objectId: planned.objectId } } : {}),
    })
  }
  return { project, base, frames, frameFiles }
}
