/**
 * Straightforward reference implementations for tests: full materialisation of every map, as the
 * Python reference does it, with torch's bilinear formula written out per pixel.
 */

/** torch interpolate(mode="bilinear", align_corners=False), per output pixel, float64. */
export function torchBilinear(src: ArrayLike<number>, inH: number, inW: number, outH: number, outW: number): Float64Array {
  const out = new Float64Array(outH * outW)
  const sy = inH / outH
  const sx = inW / outW
  for (let i = 0; i < outH; i++) {
    const fy = Math.max(0, sy * (i + 0.5) - 0.5)
    const y0 = Math.min(Math.floor(fy), inH - 1)
    const y1 = Math.min(y0 + 1, inH - 1)
    const ly = fy - y0
    for (let j = 0; j < outW; j++) {
      const fx = Math.max(0, sx * (j + 0.5) - 0.5)
      const x0 = Math.min(Math.floor(fx), inW - 1)
      const x1 = Math.min(x0 + 1, inW - 1)
      const lx = fx - x0
      out[i * outW + j] =
        (1 - ly) * ((1 - lx) * src[y0 * inW + x0]! + lx * src[y0 * inW + x1]!) + ly * ((1 - lx) * src[y1 * inW + x0]! + lx * src[y1 * inW + x1]!)
    }
  }
  return out
}

export interface Geometry {
  originalWidth: number
  originalHeight: number
  resizedWidth: number
  resizedHeight: number
}

export function geometryOf(width: number, height: number): Geometry {
  const scale = 1024 / Math.max(width, height)
  return { originalWidth: width, originalHeight: height, resizedWidth: Math.floor(width * scale + 0.5), resizedHeight: Math.floor(height * scale + 0.5) }
}

/** sim64 -> x4 -> 1024 -> crop -> H x W, fully materialised. */
export function naiveFullMap(grid: ArrayLike<number>, g: Geometry): Float64Array {
  const low = torchBilinear(grid, 64, 64, 256, 256)
  const canvas = torchBilinear(low, 256, 256, 1024, 1024)
  const crop = new Float64Array(g.resizedHeight * g.resizedWidth)
  for (let y = 0; y < g.resizedHeight; y++) for (let x = 0; x < g.resizedWidth; x++) crop[y * g.resizedWidth + x] = canvas[y * 1024 + x]!
  return torchBilinear(crop, g.resizedHeight, g.resizedWidth, g.originalHeight, g.originalWidth)
}

/** A smooth random 64x64 grid with a few bumps, like a real similarity map. */
export function smoothGrid(seed: number): Float32Array {
  let state = seed >>> 0 || 1
  const rand = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 4294967296
  }
  const bumps = Array.from({ length: 5 }, () => [rand() * 64, rand() * 64, 3 + rand() * 8, rand() * 2 - 1] as const)
  const grid = new Float32Array(64 * 64)
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 64; j++) {
      let v = 0.05 * (rand() - 0.5)
      for (const [cy, cx, r, a] of bumps) v += a * Math.exp(-((i - cy) ** 2 + (j - cx) ** 2) / (2 * r * r))
      grid[i * 64 + j] = Math.tanh(v)
    }
  }
  return grid
}
