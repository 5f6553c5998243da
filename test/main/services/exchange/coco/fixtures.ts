/** Projects with real masks for the COCO tests: blobs with holes, several parts, touching the border. */
import path from 'node:path'
import { createMask, paintDisc, paintStroke, type BinaryMask } from '../../../../../src/common/mask/index'
import { Project, storedMaskFromBinary, type AnnotationStatus } from '../../../../../src/main/services/store/index'
import { random } from '../../store/crash/workload'
import { tempDir } from '../../../../helpers/tempDir'

export const SIZES = [
  { width: 40, height: 30 },
  { width: 33, height: 47 },
  { width: 64, height: 64 },
]

/** A random mask: discs and strokes, some erased again (holes), sometimes touching the border. */
export function blob(width: number, height: number, rng: () => number): BinaryMask {
  let mask = createMask(width, height)
  const parts = 1 + Math.floor(rng() * 3)
  for (let p = 0; p < parts; p++) {
    mask = paintDisc(mask, { x: rng() * width, y: rng() * height }, 2 + rng() * Math.min(width, height) * 0.3)
    mask = paintStroke(mask, [{ x: rng() * width, y: rng() * height }, { x: rng() * width, y: rng() * height }], 1 + rng() * 3)
  }
  if (rng() < 0.6) mask = paintDisc(mask, { x: rng() * width, y: rng() * height }, 1 + rng() * 4, 0)
  return mask
}

export interface Built {
  readonly project: Project
  readonly masks: Map<number, BinaryMask>
}

/** Image rows only (COCO import matches by file_name; no pixels are read). */
export function addImageRows(project: Project, count: number): number[] {
  return project.images
    .add(Array.from({ length: count }, (_, i) => ({ relPath: `shots/${String(i).padStart(3, '0')}.jpg`, contentHash: `${i}`.padStart(64, 'a'), byteSize: 10, format: 'jpeg', ...SIZES[i % SIZES.length]! })))
    .map((image) => image.id)
}

/** `base`: a folder that outlives the current test (useTempDir), for projects shared by several tests. */
export function newEmptyProject(name = 'project', base = tempDir('persam-coco-')): Project {
  return Project.create(path.join(base, name), { imagesRoot: base })
}

export function buildProject(seed: number, imageCount = 6): Built {
  const rng = random(seed)
  const project = newEmptyProject()
  const imageIds = addImageRows(project, imageCount)
  const categories = ['mug', 'cat', 'teapot'].map((name) => project.categories.create({ name }).id)
  const statuses: AnnotationStatus[] = ['accepted', 'edited', 'proposed', 'rejected']
  const masks = new Map<number, BinaryMask>()
  imageIds.forEach((imageId, i) => {
    const { width, height } = SIZES[i % SIZES.length]!
    for (let k = 0; k < 3; k++) {
      const mask = blob(width, height, rng)
      const created = project.annotations.create({
        imageId,
        categoryId: categories[(i + k) % 3]!,
        mask: storedMaskFromBinary(mask),
        status: statuses[(i * 3 + k) % 4]!,
        source: 'persam',
        score: Math.round(rng() * 100) / 100,
      })
      masks.set(created.id, mask)
    }
  })
  return { project, masks }
}
