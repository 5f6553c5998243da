/**
 * Encoder input preparation, from an RGB image already resized so its longest side is 1024
 * (HWC, 8-bit). The reference flavour normalises with SAM's mean/std on the 0–255 scale and pads
 * bottom-right with zeros after normalising; samexporter-style encoders take HWC float pixels.
 */
import { SAM_CANVAS } from './geometry'

export const PIXEL_MEAN = [123.675, 116.28, 103.53] as const
export const PIXEL_STD = [58.395, 57.12, 57.375] as const

function checkRgb(rgb: Uint8Array, width: number, height: number): void {
  if (width > SAM_CANVAS || height > SAM_CANVAS) throw new Error(`resized image ${width}x${height} exceeds the ${SAM_CANVAS} canvas`)
  if (rgb.length !== width * height * 3) throw new Error(`RGB buffer has ${rgb.length} bytes, expected ${width}x${height}x3`)
}

/** One lookup table per channel: (v - mean) / std for every 8-bit value. */
const NORMALIZED = [0, 1, 2].map((channel) =>
  Float32Array.from({ length: 256 }, (_, value) => (value - PIXEL_MEAN[channel]!) / PIXEL_STD[channel]!),
)

/**
 * NCHW float32 [1,3,1024,1024]: normalised pixels top-left, zeros elsewhere. Pass `out` to reuse
 * a buffer (it is zeroed here).
 */
export function normalizeToCanvas(rgb: Uint8Array, width: number, height: number, out?: Float32Array): Float32Array {
  checkRgb(rgb, width, height)
  const plane = SAM_CANVAS * SAM_CANVAS
  const canvas = out ?? new Float32Array(3 * plane)
  if (canvas.length !== 3 * plane) throw new Error(`canvas buffer has ${canvas.length} values, expected ${3 * plane}`)
  if (out) canvas.fill(0)
  const [red, green, blue] = NORMALIZED as [Float32Array, Float32Array, Float32Array]
  for (let y = 0; y < height; y++) {
    let source = y * width * 3
    let target = y * SAM_CANVAS
    for (let x = 0; x < width; x++, source += 3, target++) {
      canvas[target] = red[rgb[source]!]!
      canvas[plane + target] = green[rgb[source + 1]!]!
      canvas[2 * plane + target] = blue[rgb[source + 2]!]!
    }
  }
  return canvas
}

/** HWC float32 [H,W,3] with values 0–255 (samexporter encoders normalise and pad in the graph). */
export function toHwcFloat(rgb: Uint8Array, width: number, height: number): Float32Array {
  checkRgb(rgb, width, height)
  return Float32Array.from(rgb)
}
