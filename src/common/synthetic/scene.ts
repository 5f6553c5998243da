/**
 * Renders one synthetic photo: a smooth textured background, clutter, distractors that share a
 * colour with the target, and 0..2 instances of the target object on top. Painter's algorithm
 * within each item's bounding box keeps it fast; instance masks are exact (instances are painted
 * last and never overlap each other).
 */
import { clampByte, hslToRgb, shiftColour, type Rgb } from './color'
import type { ObjectTemplate, Part, Texture } from './objects'
import type { Random } from './random'
import { shapeBounds, toShapeFrame, containsPoint, type Placement } from './shapes'

export interface RenderedScene {
  readonly width: number
  readonly height: number
  /** Row-major RGB, 3 bytes per pixel. */
  readonly rgb: Uint8Array
  /** One row-major 0/1 mask per instance of the target. */
  readonly instanceMasks: readonly Uint8Array[]
}

export interface Item {
  readonly parts: readonly Part[]
  readonly placement: Placement
}

function textureOffset(texture: Texture, u: number, v: number): number {
  const f = texture.frequency
  switch (texture.kind) {
    case 'solid':
      return 0
    case 'stripes':
      return Math.sin(u * f * Math.PI) > 0 ? texture.amplitude : -texture.amplitude
    case 'checker':
      return (Math.floor(u * f) + Math.floor(v * f)) % 2 === 0 ? texture.amplitude : -texture.amplitude
    case 'dots': {
      const a = u * f - Math.floor(u * f) - 0.5
      const b = v * f - Math.floor(v * f) - 0.5
      return a * a + b * b < 0.08 ? texture.amplitude : -texture.amplitude / 3
    }
  }
}

export function paintItem(rgb: Uint8Array, width: number, height: number, item: Item, noise: Random, mask: Uint8Array | null): void {
  for (const part of item.parts) {
    const b = shapeBounds(part.shape, item.placement)
    const x0 = Math.max(0, Math.floor(b.x0))
    const y0 = Math.max(0, Math.floor(b.y0))
    const x1 = Math.min(width - 1, Math.ceil(b.x1))
    const y1 = Math.min(height - 1, Math.ceil(b.y1))
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        if (!containsPoint(part.shape, item.placement, x + 0.5, y + 0.5)) continue
        const [u, v] = toShapeFrame(part.shape, item.placement, x + 0.5, y + 0.5)
        const shade = textureOffset(part.texture, u * part.shape.rx, v * part.shape.ry) + (noise.next() - 0.5) * 10
        const o = (y * width + x) * 3
        rgb[o] = clampByte(part.color[0] + shade)
        rgb[o + 1] = clampByte(part.color[1] + shade)
        rgb[o + 2] = clampByte(part.color[2] + shade)
        if (mask) mask[y * width + x] = 1
      }
    }
  }
}

export function paintBackground(rgb: Uint8Array, width: number, height: number, rng: Random): void {
  const grid = 5
  const hue = rng.range(0, 360)
  const corners: Rgb[] = []
  for (let i = 0; i < (grid + 1) * (grid + 1); i++) {
    corners.push(hslToRgb(hue + rng.range(-40, 40), rng.range(0.05, 0.3), rng.range(0.35, 0.75)))
  }
  for (let y = 0; y < height; y++) {
    const gy = (y / height) * grid
    const iy = Math.min(grid - 1, Math.floor(gy))
    const fy = gy - iy
    for (let x = 0; x < width; x++) {
      const gx = (x / width) * grid
      const ix = Math.min(grid - 1, Math.floor(gx))
      const fx = gx - ix
      const c00 = corners[iy * (grid + 1) + ix]!
      const c10 = corners[iy * (grid + 1) + ix + 1]!
      const c01 = corners[(iy + 1) * (grid + 1) + ix]!
      const c11 = corners[(iy + 1) * (grid + 1) + ix + 1]!
      const o = (y * width + x) * 3
      const grain = (rng.next() - 0.5) * 16
      for (let c = 0; c < 3; c++) {
        const top = c00[c]! * (1 - fx) + c10[c]! * fx
        const bottom = c01[c]! * (1 - fx) + c11[c]! * fx
        rgb[o + c] = clampByte(top * (1 - fy) + bottom * fy + grain)
      }
    }
  }
}

function overlaps(a: Placement, ra: number, b: Placement, rb: number): boolean {
  return Math.hypot(a.cx - b.cx, a.cy - b.cy) < ra + rb
}

export interface SceneOptions {
  readonly width: number
  readonly height: number
  readonly instanceCount: 0 | 1 | 2
  readonly clutterCount: number
  readonly distractorCount: number
}

/** Object radius in object units: parts reach about 1.1 from the centre. */
export const OBJECT_RADIUS = 1.15

export function renderScene(target: ObjectTemplate, options: SceneOptions, rng: Random): RenderedScene {
  const { width, height } = options
  const rgb = new Uint8Array(width * height * 3)
  paintBackground(rgb, width, height, rng)
  const short = Math.min(width, height)

  const instances: Placement[] = []
  for (let attempt = 0; instances.length < options.instanceCount && attempt < 200; attempt++) {
    const scale = short * rng.range(options.instanceCount === 2 ? 0.1 : 0.13, options.instanceCount === 2 ? 0.16 : 0.24)
    const margin = scale * OBJECT_RADIUS
    if (margin * 2 >= short) continue
    const candidate: Placement = {
      cx: rng.range(margin, width - margin),
      cy: rng.range(margin, height - margin),
      scale,
      angle: rng.range(-Math.PI, Math.PI),
    }
    if (instances.every((other) => !overlaps(candidate, margin * 1.05, other, other.scale * OBJECT_RADIUS * 1.05))) instances.push(candidate)
  }
  if (instances.length < options.instanceCount) throw new Error(`could not place ${options.instanceCount} instances in ${width}x${height}`)

  const placeAway = (scale: number): Placement | null => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const candidate: Placement = { cx: rng.range(0, width), cy: rng.range(0, height), scale, angle: rng.range(-Math.PI, Math.PI) }
      if (instances.every((inst) => !overlaps(candidate, scale * 1.2, inst, inst.scale * OBJECT_RADIUS))) return candidate
    }
    return null
  }
  const noise = rng.fork(7)
  for (let i = 0; i < options.clutterCount; i++) {
    const placement = placeAway(short * rng.range(0.03, 0.09))
    if (!placement) continue
    const hue = rng.range(0, 360)
    const part: Part = {
      shape: { kind: rng.pick(['ellipse', 'rect', 'triangle'] as const), dx: 0, dy: 0, rx: rng.range(0.6, 1), ry: rng.range(0.4, 1), angle: 0 },
      hue,
      color: hslToRgb(hue, rng.range(0.2, 0.7), rng.range(0.3, 0.7)),
      texture: { kind: 'solid', frequency: 1, amplitude: 0 },
    }
    paintItem(rgb, width, height, { parts: [part], placement }, noise, null)
  }
  for (let i = 0; i < options.distractorCount; i++) {
    // A distractor takes one part's colour, shifted a little, alone: similar colour, different object.
    const source = rng.pick(target.parts)
    const placement = placeAway(short * rng.range(0.06, 0.12))
    if (!placement) continue
    const shifted: Part = {
      ...source,
      color: shiftColour(source.color, rng.range(28, 45), () => rng.next()),
      shape: { ...source.shape, dx: 0, dy: 0, kind: rng.pick(['ellipse', 'rect'] as const) },
    }
    paintItem(rgb, width, height, { parts: [shifted], placement }, noise, null)
  }
  const instanceMasks = instances.map((placement) => {
    const mask = new Uint8Array(width * height)
    paintItem(rgb, width, height, { parts: target.parts, placement }, noise, mask)
    return mask
  })
  return { width, height, rgb, instanceMasks }
}
