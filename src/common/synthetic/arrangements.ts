/**
 * The "arrangements" recipe: a second synthetic world built on a different idea from the parts
 * recipe. Each object is a fixed arrangement of 3-4 strongly textured parts (stripes, checks,
 * dots). Look-alike distractors reuse the very same parts, colours and textures in another
 * arrangement, so colour and texture alone cannot tell them apart; occluders cover part of an
 * instance (the ground truth excludes what they hide); backgrounds are linear gradients with
 * value noise instead of smooth colour patches; and the object's scale varies more widely.
 * Same output shape as the parts recipe (SyntheticObject / RenderedScene).
 */
import { clampByte, hslToRgb, hueName, shiftColour } from './color'
import type { ObjectTemplate, Part, TextureKind } from './objects'
import type { Random } from './random'
import { paintItem, type RenderedScene } from './scene'
import type { LocalShape, Placement, ShapeKind } from './shapes'

const PART_SHAPES: readonly ShapeKind[] = ['ellipse', 'rect', 'triangle', 'roundedRect', 'star']
const TEXTURES: readonly TextureKind[] = ['stripes', 'checker', 'dots', 'stripes']
const NOUNS = ['totem', 'crane', 'badge', 'flag', 'train', 'beetle', 'sign', 'rocket']

/** Slots an arrangement can put a part in (object units); distractors pick other slots. */
const SLOTS: readonly (readonly [number, number])[] = [
  [0, 0],
  [0, -0.7],
  [0.7, 0],
  [0, 0.7],
  [-0.7, 0],
  [0.55, -0.55],
  [-0.55, 0.55],
]

export function makeArrangementTemplate(rng: Random, index: number): ObjectTemplate {
  const baseHue = rng.range(0, 360)
  const partCount = rng.int(3, 4)
  const slots = shuffled(SLOTS.map((_, i) => i), rng).slice(0, partCount)
  const parts: Part[] = []
  for (let i = 0; i < partCount; i++) {
    const [dx, dy] = SLOTS[slots[i]!]!
    const hue = baseHue + rng.range(-25, 25) + (i % 2) * 150
    const kind = rng.pick(TEXTURES)
    parts.push({
      shape: { kind: rng.pick(PART_SHAPES), dx, dy, rx: rng.range(0.35, 0.5), ry: rng.range(0.3, 0.45), angle: rng.range(-0.6, 0.6) },
      hue,
      color: hslToRgb(hue, rng.range(0.5, 0.85), rng.range(0.35, 0.6)),
      texture: { kind, frequency: rng.range(3, 7), amplitude: rng.range(22, 40) },
    })
  }
  const name = `${String(index + 1).padStart(2, '0')}_${hueName(baseHue)}_${NOUNS[index % NOUNS.length]}`
  // Parts of one object always differ in colour here (alternate hues 150 degrees apart).
  return { name, parts, partsDifferInColour: true, baseHue }
}

function shuffled<T>(items: readonly T[], rng: Random): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/** The same parts rearranged: every part moves to a slot it does not occupy in the target. */
export function rearranged(template: ObjectTemplate, rng: Random): Part[] {
  const used = template.parts.map((part) => SLOTS.findIndex(([x, y]) => x === part.shape.dx && y === part.shape.dy))
  const free = shuffled(SLOTS.map((_, i) => i), rng)
  return template.parts.map((part, i) => {
    const slot = free.find((s) => s !== used[i] && !used.includes(s)) ?? free.find((s) => s !== used[i])!
    free.splice(free.indexOf(slot), 1)
    const [dx, dy] = SLOTS[slot]!
    return { ...part, shape: { ...part.shape, dx: dx * 1.15, dy: dy * 1.15 } }
  })
}

function paintGradientBackground(rgb: Uint8Array, width: number, height: number, rng: Random): void {
  const from = hslToRgb(rng.range(0, 360), rng.range(0.1, 0.5), rng.range(0.25, 0.5))
  const to = hslToRgb(rng.range(0, 360), rng.range(0.1, 0.5), rng.range(0.5, 0.8))
  const angle = rng.range(0, 2 * Math.PI)
  const ux = Math.cos(angle)
  const uy = Math.sin(angle)
  const extent = Math.abs(ux) * width + Math.abs(uy) * height
  // Value noise on a coarse lattice, bilinearly interpolated: blotches a few cells wide.
  const cell = Math.max(8, Math.round(Math.min(width, height) / rng.int(6, 20)))
  const cols = Math.ceil(width / cell) + 2
  const lattice = Float32Array.from({ length: cols * (Math.ceil(height / cell) + 2) }, () => (rng.next() - 0.5) * 50)
  for (let y = 0; y < height; y++) {
    const gy = y / cell
    const iy = Math.floor(gy)
    const fy = gy - iy
    for (let x = 0; x < width; x++) {
      const gx = x / cell
      const ix = Math.floor(gx)
      const fx = gx - ix
      const n00 = lattice[iy * cols + ix]!
      const n10 = lattice[iy * cols + ix + 1]!
      const n01 = lattice[(iy + 1) * cols + ix]!
      const n11 = lattice[(iy + 1) * cols + ix + 1]!
      const noise = (n00 * (1 - fx) + n10 * fx) * (1 - fy) + (n01 * (1 - fx) + n11 * fx) * fy
      const t = ((x - width / 2) * ux + (y - height / 2) * uy) / extent + 0.5
      const o = (y * width + x) * 3
      for (let c = 0; c < 3; c++) rgb[o + c] = clampByte(from[c]! * (1 - t) + to[c]! * t + noise)
    }
  }
}

export interface ArrangementSceneOptions {
  readonly width: number
  readonly height: number
  readonly instanceCount: 0 | 1 | 2
}

/** Object radius in object units: parts reach about 1.2 from the centre. */
const RADIUS = 1.25

export function renderArrangementScene(target: ObjectTemplate, options: ArrangementSceneOptions, rng: Random): RenderedScene {
  const { width, height } = options
  const rgb = new Uint8Array(width * height * 3)
  paintGradientBackground(rgb, width, height, rng)
  const short = Math.min(width, height)
  const placed: { placement: Placement; radius: number }[] = []
  const place = (scale: number): Placement | null => {
    const radius = scale * RADIUS
    for (let attempt = 0; attempt < 200; attempt++) {
      if (radius * 2 >= short) return null
      const candidate: Placement = { cx: rng.range(radius, width - radius), cy: rng.range(radius, height - radius), scale, angle: rng.range(-Math.PI, Math.PI) }
      if (placed.every((other) => Math.hypot(candidate.cx - other.placement.cx, candidate.cy - other.placement.cy) > (radius + other.radius) * 1.05)) {
        placed.push({ placement: candidate, radius })
        return candidate
      }
    }
    return null
  }
  const noise = rng.fork(11)
  const instances: Placement[] = []
  for (let i = 0; i < options.instanceCount; i++) {
    const scale = short * rng.range(options.instanceCount === 2 ? 0.08 : 0.09, options.instanceCount === 2 ? 0.15 : 0.26)
    const placement = place(scale)
    if (!placement) throw new Error(`could not place ${options.instanceCount} instances in ${width}x${height}`)
    instances.push(placement)
  }
  // Look-alikes: the target's own parts in another arrangement (one or two per photo).
  const lookAlikes = rng.int(1, 2)
  for (let i = 0; i < lookAlikes; i++) {
    const placement = place(short * rng.range(0.08, 0.2))
    if (placement) paintItem(rgb, width, height, { parts: rearranged(target, rng), placement }, noise, null)
  }
  // Single-part decoys: one of the target's parts, alone, colour shifted a little.
  for (let i = rng.int(1, 3); i > 0; i--) {
    const source = rng.pick(target.parts)
    const placement = place(short * rng.range(0.05, 0.1))
    const part: Part = { ...source, color: shiftColour(source.color, rng.range(10, 30), () => rng.next()), shape: { ...source.shape, dx: 0, dy: 0 } }
    if (placement) paintItem(rgb, width, height, { parts: [part], placement }, noise, null)
  }
  const instanceMasks = instances.map((placement) => {
    const mask = new Uint8Array(width * height)
    paintItem(rgb, width, height, { parts: target.parts, placement }, noise, mask)
    return mask
  })
  // Occluders over some instances: painted last, and the ground truth loses what they hide.
  for (const placement of instances) {
    if (!rng.chance(0.45)) continue
    const direction = rng.range(0, 2 * Math.PI)
    const reach = placement.scale * rng.range(0.8, 1.2)
    const hue = rng.range(0, 360)
    const shape: LocalShape = { kind: rng.pick(['rect', 'ellipse'] as const), dx: 0, dy: 0, rx: rng.range(0.6, 1), ry: rng.range(0.3, 0.6), angle: rng.range(-1, 1) }
    const occluder: Placement = { cx: placement.cx + Math.cos(direction) * reach, cy: placement.cy + Math.sin(direction) * reach, scale: placement.scale * 0.7, angle: direction }
    const covered = new Uint8Array(width * height)
    paintItem(rgb, width, height, { parts: [{ shape, hue, color: hslToRgb(hue, rng.range(0.1, 0.4), rng.range(0.3, 0.7)), texture: { kind: 'solid', frequency: 1, amplitude: 4 } }], placement: occluder }, noise, covered)
    for (const mask of instanceMasks) for (let i = 0; i < mask.length; i++) if (covered[i]) mask[i] = 0
  }
  return { width, height, rgb, instanceMasks }
}
