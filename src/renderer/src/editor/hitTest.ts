/**
 * Which annotation is under an image point. Boxes rule most candidates out cheaply; the mask
 * test (run lookup in the RLE, see canvas/rleRuns.ts) decides among the rest. Among overlapping
 * masks the smallest wins: it is the one a user can otherwise not reach.
 */
import type { AnnotationInfo } from '../../../common/ipc/types'
import type { ImagePoint } from './geometry'

export type MaskContains = (annotation: AnnotationInfo, x: number, y: number) => boolean

export function hitTest(annotations: readonly AnnotationInfo[], point: ImagePoint, contains?: MaskContains): number | null {
  const x = Math.floor(point.x)
  const y = Math.floor(point.y)
  let best: AnnotationInfo | null = null
  for (const annotation of annotations) {
    if (!annotation.mask || !annotation.bbox || annotation.status === 'rejected') continue
    const [bx, by, bw, bh] = annotation.bbox
    if (x < bx || y < by || x >= bx + bw || y >= by + bh) continue
    if (contains && !contains(annotation, x, y)) continue
    if (!best || annotation.area < best.area) best = annotation
  }
  return best?.id ?? null
}
