/**
 * Bilinear resizing matching torch.nn.functional.interpolate(size=..., mode="bilinear",
 * align_corners=False) on CPU float32 for one plane ([1, 1, H, W]), bit for bit on torch 1.13.1
 * (the golden vectors): scale s = in / out rounded to float32; source coordinate
 * max(0, s * (i + 0.5) - 0.5) in double; lambda1 = float32(source - i0), lambda0 = 1 - lambda1 in
 * float32; corner weights are float32 products lambdaY * lambdaX; the four weighted corners are
 * summed in double and rounded once. Downscaling is not antialiased (torch's default).
 *
 * Several channels are resized plane by plane with that rule. torch sends a [1, C, H, W] tensor
 * with C > 1 through another kernel whose rounding differs by a few float32 ulps.
 */
import { MaskFormatError, checkedSize } from './errors'
import type { BinaryMask, FloatPlane } from './mask'

const f32 = Math.fround

interface AxisTaps {
  readonly index0: Int32Array
  readonly index1: Int32Array
  readonly weight0: Float32Array
  readonly weight1: Float32Array
}

/** Source indices and float32 weights along one axis, as torch computes them. */
function axisTaps(inSize: number, outSize: number): AxisTaps {
  const index0 = new Int32Array(outSize)
  const index1 = new Int32Array(outSize)
  const weight0 = new Float32Array(outSize)
  const weight1 = new Float32Array(outSize)
  const scale = f32(inSize / outSize)
  for (let i = 0; i < outSize; i++) {
    if (inSize === outSize) {
      index0[i] = index1[i] = i
      weight0[i] = 1
      continue
    }
    const source = Math.max(0, scale * (i + 0.5) - 0.5)
    const i0 = Math.trunc(source)
    index0[i] = i0
    index1[i] = i0 < inSize - 1 ? i0 + 1 : i0
    const lambda1 = f32(Math.min(Math.max(source - i0, 0), 1))
    weight1[i] = lambda1
    weight0[i] = f32(1 - lambda1)
  }
  return { index0, index1, weight0, weight1 }
}

/** Resizes `channels` stacked row-major planes (a CHW tensor's data) from srcW x srcH to dstW x dstH. */
export function resizeBilinearChannels(
  data: Float32Array,
  channels: number,
  srcWidth: number,
  srcHeight: number,
  dstWidth: number,
  dstHeight: number,
): Float32Array {
  checkedSize(srcWidth, srcHeight, 'resize source')
  checkedSize(dstWidth, dstHeight, 'resize target')
  if (!Number.isInteger(channels) || channels < 1) throw new MaskFormatError(`resize channels must be a positive integer, got ${channels}`)
  if (data.length !== channels * srcWidth * srcHeight) {
    throw new MaskFormatError(`resize source has ${data.length} values but ${channels}x${srcHeight}x${srcWidth} needs ${channels * srcWidth * srcHeight}`)
  }
  const xs = axisTaps(srcWidth, dstWidth)
  const ys = axisTaps(srcHeight, dstHeight)
  const out = new Float32Array(channels * dstWidth * dstHeight)
  let o = 0
  for (let c = 0; c < channels; c++) {
    const plane = c * srcWidth * srcHeight
    for (let y = 0; y < dstHeight; y++) {
      const row0 = plane + ys.index0[y]! * srcWidth
      const row1 = plane + ys.index1[y]! * srcWidth
      const wy0 = ys.weight0[y]!
      const wy1 = ys.weight1[y]!
      for (let x = 0; x < dstWidth; x++) {
        const x0 = xs.index0[x]!
        const x1 = xs.index1[x]!
        const wx0 = xs.weight0[x]!
        const wx1 = xs.weight1[x]!
        // Float32 corner weights; float32 x float32 products are exact in double, the sum is not.
        out[o++] =
          data[row0 + x0]! * f32(wy0 * wx0) +
          data[row0 + x1]! * f32(wy0 * wx1) +
          data[row1 + x0]! * f32(wy1 * wx0) +
          data[row1 + x1]! * f32(wy1 * wx1)
      }
    }
  }
  return out
}

/** Resizes a float plane (e.g. logits) to width x height with torch's bilinear rule. */
export function resizeBilinear(plane: FloatPlane, width: number, height: number): FloatPlane {
  return { width, height, data: resizeBilinearChannels(plane.data, 1, plane.width, plane.height, width, height) }
}

/** Resizes a mask: bilinear on 0/1 as float32 (torch's rule), then keeps pixels above `threshold` (default 0.5). */
export function resizeMask(mask: BinaryMask, width: number, height: number, threshold = 0.5): BinaryMask {
  const values = new Float32Array(mask.data)
  const resized = resizeBilinearChannels(values, 1, mask.width, mask.height, width, height)
  const data = new Uint8Array(resized.length)
  for (let i = 0; i < data.length; i++) data[i] = resized[i]! > threshold ? 1 : 0
  return { width, height, data }
}
