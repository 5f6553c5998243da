/** Image -> SAM encoder input: the oriented size, SAM's resize geometry, and the resized RGB. */
import { resizeLongestSide, type SamGeometry } from '../../../common/sam/geometry'
import { loadImageResized, readOrientedSize, type ImageLoadOptions, type RgbImage } from './loadImage'

export interface SamInputImage {
  readonly geometry: SamGeometry
  /** resizedWidth x resizedHeight x 3 */
  readonly resized: RgbImage
}

export async function loadSamInput(file: string, options: ImageLoadOptions = {}): Promise<SamInputImage> {
  const size = await readOrientedSize(file, options)
  const geometry = resizeLongestSide(size.width, size.height)
  const resized = await loadImageResized(file, { width: geometry.resizedWidth, height: geometry.resizedHeight }, options)
  return { geometry, resized }
}
