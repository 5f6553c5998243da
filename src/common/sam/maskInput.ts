/**
 * A stored mask as the decoder's mask_input: [256, 256] logits over the padded 1024 canvas, so a
 * correction can start from an existing annotation. Each low-res pixel covers a 4x4 block of
 * the canvas; its value is the mask's coverage of that block mapped to +-MAGNITUDE logits (SAM's
 * own low-res logits run at about that scale).
 */
import type { SamGeometry } from './geometry'
import { SAM_CANVAS, SAM_LOW_RES } from './geometry'

const MAGNITUDE = 10

export function maskToLowResLogits(mask: { readonly width: number; readonly height: number; readonly data: Uint8Array }, geometry: SamGeometry): Float32Array {
  if (mask.width !== geometry.originalWidth || mask.height !== geometry.originalHeight) {
    throw new RangeError(`mask is ${mask.width}x${mask.height}, the image is ${geometry.originalWidth}x${geometry.originalHeight}`)
  }
  const out = new Float32Array(SAM_LOW_RES * SAM_LOW_RES).fill(-MAGNITUDE)
  const block = SAM_CANVAS / SAM_LOW_RES
  const sx = mask.width / geometry.resizedWidth
  const sy = mask.height / geometry.resizedHeight
  for (let v = 0; v < SAM_LOW_RES; v++) {
    const c0 = v * block
    if (c0 >= geometry.resizedHeight) break
    const y0 = Math.floor(c0 * sy)
    const y1 = Math.max(y0 + 1, Math.min(mask.height, Math.ceil(Math.min(c0 + block, geometry.resizedHeight) * sy)))
    for (let u = 0; u < SAM_LOW_RES; u++) {
      const r0 = u * block
      if (r0 >= geometry.resizedWidth) break
      const x0 = Math.floor(r0 * sx)
      const x1 = Math.max(x0 + 1, Math.min(mask.width, Math.ceil(Math.min(r0 + block, geometry.resizedWidth) * sx)))
      let covered = 0
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) covered += mask.data[y * mask.width + x]!
      const coverage = covered / ((y1 - y0) * (x1 - x0))
      out[v * SAM_LOW_RES + u] = (2 * coverage - 1) * MAGNITUDE
    }
  }
  return out
}
