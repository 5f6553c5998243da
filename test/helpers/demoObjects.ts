/** Where the object is in the bundled demo photos (re-rendered from their specs), for tests that click on it. */
import type { BinaryMask } from '../../src/common/mask'
import { demoPhotos, renderDemoPhoto } from '../../src/common/synthetic'

export interface DemoObject {
  /** A pixel inside the object's first instance, near its centroid. */
  readonly x: number
  readonly y: number
  /** The first instance's true mask. */
  readonly truth: BinaryMask
}

/** The object's first instance in demo photo `fileName`, or null when the photo does not show it. */
export function demoObjectIn(fileName: string): DemoObject | null {
  const photo = demoPhotos().find((p) => p.fileName === fileName)
  if (!photo) throw new Error(`${fileName} is not a demo photo`)
  const scene = renderDemoPhoto(photo)
  const mask = scene.instanceMasks[0]
  if (!mask) return null
  let sx = 0
  let sy = 0
  let n = 0
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue
    sx += i % scene.width
    sy += Math.floor(i / scene.width)
    n++
  }
  // The centroid of a part-shaped object can fall outside it: take the mask pixel nearest to it.
  let best = -1
  let bestDistance = Infinity
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue
    const d = ((i % scene.width) - sx / n) ** 2 + (Math.floor(i / scene.width) - sy / n) ** 2
    if (d < bestDistance) {
      best = i
      bestDistance = d
    }
  }
  return { x: best % scene.width, y: Math.floor(best / scene.width), truth: { width: scene.width, height: scene.height, data: mask } }
}
