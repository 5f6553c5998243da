/**
 * The objects of a frame sequence, as the DAVIS and YouTube-VIS exports number them. An
 * annotation's `method.objectId` (set by sequence tracking) names its object; without one the
 * object is its category (one object per category per sequence). Objects are numbered 1..N in
 * order of first appearance: frame, then category id, then object id.
 */
import type { ExportFilter, ExportFrame, ExportFrameMask, ExportSequence, ExportSnapshot } from '../store/index'
import { naturalCompare } from '../../../common/util/naturalOrder'

export interface SequenceObject {
  /** 1..N, in order of first appearance. */
  readonly id: number
  readonly categoryId: number
  readonly objectId: string | null
}

export interface FrameWithMasks {
  readonly frame: ExportFrame
  /** The frame's masks with the number of the object each shows. */
  readonly masks: readonly { readonly object: number; readonly mask: ExportFrameMask }[]
}

export interface SequenceObjects {
  readonly objects: readonly SequenceObject[]
  readonly frames: readonly FrameWithMasks[]
}

const objectKey = (mask: Pick<ExportFrameMask, 'categoryId' | 'objectId'>): string => JSON.stringify([mask.categoryId, mask.objectId])

function firstAppearanceOrder(a: ExportFrameMask, b: ExportFrameMask): number {
  if (a.categoryId !== b.categoryId) return a.categoryId - b.categoryId
  if (a.objectId === b.objectId) return a.id - b.id
  if (a.objectId === null) return -1
  if (b.objectId === null) return 1
  return naturalCompare(a.objectId, b.objectId)
}

/** Reads the masks of every frame of `sequence` that pass `filter` and numbers their objects. */
export function sequenceObjects(snapshot: ExportSnapshot, sequence: ExportSequence, filter: ExportFilter): SequenceObjects {
  const numbers = new Map<string, number>()
  const objects: SequenceObject[] = []
  const frames = sequence.frames.map((frame) => {
    const masks = snapshot.frameMasks(frame.imageId, filter).sort(firstAppearanceOrder)
    return {
      frame,
      masks: masks.map((mask) => {
        const key = objectKey(mask)
        let object = numbers.get(key)
        if (object === undefined) {
          object = objects.length + 1
          numbers.set(key, object)
          objects.push({ id: object, categoryId: mask.categoryId, objectId: mask.objectId })
        }
        return { object, mask }
      }),
    }
  })
  return { objects, frames }
}
