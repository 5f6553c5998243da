/**
 * The deterministic workloads of the crash test, shared by the child process that runs them
 * (and gets SIGKILLed) and by the test that checks what survived. No vitest import here: the
 * child runs this under plain `node --import tsx`.
 */
import { writeFileSync } from 'node:fs'
import { compressRle, rasterizeBbox } from '../../../../../src/common/mask/index'
import { storedMaskFromRle, type AnnotationStatus, type Project, type StoredMask } from '../../../../../src/main/services/store/index'
import { Random } from '../../../../../src/common/synthetic/random'

export const IMAGE_COUNT = 40
/** The child's exit code when another live process holds the project's lock. */
export const LOCKED_EXIT_CODE = 3
export const IMAGE_SIZE = { width: 64, height: 48 }
export const JOB_PROPOSALS_PER_IMAGE = 2
export const BULK_BATCH = 20_000

/** The synthetic data's seeded PRNG (mulberry32) as a function. */
export function random(seed: number): () => number {
  const generator = new Random(seed)
  return () => generator.next()
}

/**
 * Small, valid and (for tags below 280) distinct masks: the crash test is about rows and
 * transactions, not pixels, but the store decodes masks (a propagation compares new proposals with
 * the masks people kept). Boxes sit in the lower right, away from the masks the lock tests accept.
 */
export function maskFor(tag: number): StoredMask {
  const side = 1 + (tag % 4)
  const box = [40 + (tag % 20), 30 + (Math.floor(tag / 20) % 14), side, side]
  return storedMaskFromRle(rasterizeBbox(box, IMAGE_SIZE.height, IMAGE_SIZE.width))
}

export type WriteOp =
  | { kind: 'create'; imageIndex: number; categoryIndex: number; status: AnnotationStatus; tag: number }
  | { kind: 'status'; id: number; status: AnnotationStatus }
  | { kind: 'mask'; id: number; tag: number }
  | { kind: 'remove'; id: number }

export interface ModelRow {
  status: AnnotationStatus
  counts: string
  revision: number
}

/** What the annotations table must hold after a prefix of the write stream. */
export class WriteModel {
  readonly rows = new Map<number, ModelRow>()
  private nextId = 1

  constructor(private readonly rng: () => number) {}

  /** The next operation; depends only on the seed and the operations before it. */
  nextOp(step: number): WriteOp {
    const ids = [...this.rows.keys()]
    const pick = (): number => ids[Math.floor(this.rng() * ids.length)]!
    const roll = this.rng()
    const statuses: AnnotationStatus[] = ['proposed', 'accepted', 'rejected', 'edited']
    const status = statuses[Math.floor(this.rng() * statuses.length)]!
    if (ids.length < 5 || roll < 0.45) {
      return { kind: 'create', imageIndex: Math.floor(this.rng() * IMAGE_COUNT), categoryIndex: Math.floor(this.rng() * 2), status, tag: step }
    }
    if (roll < 0.7) return { kind: 'status', id: pick(), status }
    if (roll < 0.9) return { kind: 'mask', id: pick(), tag: step }
    return { kind: 'remove', id: pick() }
  }

  apply(op: WriteOp): void {
    if (op.kind === 'create') this.rows.set(this.nextId++, { status: op.status, counts: maskFor(op.tag).counts, revision: 1 })
    else if (op.kind === 'remove') this.rows.delete(op.id)
    else {
      const row = this.rows.get(op.id)!
      if (op.kind === 'status') row.status = op.status
      else row.counts = maskFor(op.tag).counts
      row.revision++
    }
  }

  snapshot(): [number, ModelRow][] {
    return [...this.rows.entries()].sort((a, b) => a[0] - b[0]).map(([id, row]) => [id, { ...row }])
  }
}

/** Applies one operation through the repository API, exactly as the studio would. */
export function runWriteOp(project: Project, op: WriteOp, imageIds: readonly number[], categoryIds: readonly number[]): void {
  if (op.kind === 'create') {
    project.annotations.create({ imageId: imageIds[op.imageIndex]!, categoryId: categoryIds[op.categoryIndex]!, mask: maskFor(op.tag), status: op.status, source: 'manual' })
  } else if (op.kind === 'status') project.annotations.setStatus([op.id], op.status)
  else if (op.kind === 'mask') project.annotations.update(op.id, { mask: maskFor(op.tag) })
  else project.annotations.remove([op.id])
}

/** The model state after the first `count` operations of the stream seeded with `seed`. */
export function expectedAfter(seed: number, count: number): [number, ModelRow][] {
  const model = new WriteModel(random(seed))
  for (let step = 0; step < count; step++) model.apply(model.nextOp(step))
  return model.snapshot()
}

export const COCO_PER_IMAGE = 1500

/**
 * A COCO file with COCO_PER_IMAGE box masks on each of the IMAGE_COUNT project images (paths
 * `${i}.jpg`). Boxes of file `half` 0 start in the left half, of 1 in the right half, so no mask of
 * one file equals one of the other (the import would skip it as a duplicate).
 */
export function writeCocoFile(file: string, seed: number, half: 0 | 1): void {
  const rng = random(seed)
  const { width, height } = IMAGE_SIZE
  const annotations: unknown[] = []
  for (let image = 0; image < IMAGE_COUNT; image++) {
    for (let k = 0; k < COCO_PER_IMAGE; k++) {
      const x = half * (width / 2) + Math.floor(rng() * (width / 2 - 4))
      const y = Math.floor(rng() * (height - 4))
      const box = [x, y, 2 + Math.floor(rng() * (width - x - 2)), 2 + Math.floor(rng() * (height - y - 2))]
      annotations.push({ id: annotations.length + 1, image_id: image + 1, category_id: 1, segmentation: compressRle(rasterizeBbox(box, height, width)), iscrowd: 0 })
    }
  }
  const images = Array.from({ length: IMAGE_COUNT }, (_, i) => ({ id: i + 1, file_name: `${i}.jpg`, width, height }))
  writeFileSync(file, JSON.stringify({ images, categories: [{ id: 1, name: 'b' }], annotations }))
}
