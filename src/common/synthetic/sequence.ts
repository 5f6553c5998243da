/**
 * A seeded synthetic video for tracking: one or more target objects (drawn like the PerSeg-like
 * set's objects) move along a path, turn, grow and shrink, pass behind an occluder, leave the
 * frame and come back, among static clutter and drifting look-alikes (the target's own shape in
 * shifted colours) and part-coloured blobs. Every frame has each target's exact ground-truth mask,
 * empty while the target is out of view.
 */
import { hslToRgb, shiftColour } from './color'
import { makeObjectTemplate, type ObjectTemplate, type Part } from './objects'
import { Random, seedFor } from './random'
import { paintBackground, paintItem, type Item } from './scene'
import type { Placement } from './shapes'

export interface SequenceOptions {
  readonly seed: number
  readonly width: number
  readonly height: number
  readonly frames: number
  /** How many distinct targets are tracked (1 or 2). */
  readonly targets: 1 | 2
  /** Whole-object look-alikes (same shape, colours shifted) drifting through the scene. */
  readonly lookAlikes: number
  /** Blobs coloured like one of the target's parts. */
  readonly partDistractors: number
  readonly clutter: number
}

export const DEFAULT_SEQUENCE_OPTIONS: SequenceOptions = { seed: 7, width: 192, height: 144, frames: 30, targets: 1, lookAlikes: 1, partDistractors: 2, clutter: 10 }

export interface SequenceFrame {
  readonly rgb: Uint8Array
  /** One row-major 0/1 mask per target; all zero while that target is out of view or hidden. */
  readonly masks: readonly Uint8Array[]
}

export interface SyntheticSequence {
  readonly width: number
  readonly height: number
  readonly templates: readonly ObjectTemplate[]
  readonly frames: readonly SequenceFrame[]
}

/** A waypoint of a path: at `t` (0..1 of the sequence) the centre is at (x, y) in fractions of the frame. */
type Waypoint = readonly [t: number, x: number, y: number]

/**
 * The first target crosses the frame, exits on the right (out of view for about a quarter of the
 * sequence), comes back and heads left. The second stays in view on a crossing path.
 */
const PATHS: readonly (readonly Waypoint[])[] = [
  [
    [0, 0.3, 0.5],
    [0.45, 0.68, 0.42],
    [0.6, 1.45, 0.5],
    [0.72, 1.45, 0.58],
    [0.86, 0.72, 0.6],
    [1, 0.5, 0.48],
  ],
  [
    [0, 0.75, 0.3],
    [0.5, 0.35, 0.7],
    [1, 0.22, 0.35],
  ],
]

function along(path: readonly Waypoint[], t: number): [number, number] {
  for (let i = 1; i < path.length; i++) {
    const [t1, x1, y1] = path[i]!
    if (t <= t1) {
      const [t0, x0, y0] = path[i - 1]!
      const f = t1 > t0 ? (t - t0) / (t1 - t0) : 0
      return [x0 + (x1 - x0) * f, y0 + (y1 - y0) * f]
    }
  }
  const last = path[path.length - 1]!
  return [last[1], last[2]]
}

interface Mover {
  readonly parts: readonly Part[]
  readonly start: Placement
  readonly velocity: readonly [number, number]
  readonly spin: number
}

function moved(mover: Mover, frame: number): Placement {
  const { start, velocity, spin } = mover
  return { ...start, cx: start.cx + velocity[0] * frame, cy: start.cy + velocity[1] * frame, angle: start.angle + spin * frame }
}

export function generateSequence(overrides: Partial<SequenceOptions> = {}): SyntheticSequence {
  const options: SequenceOptions = { ...DEFAULT_SEQUENCE_OPTIONS, ...overrides }
  const { width, height, frames } = options
  if (!(Number.isInteger(frames) && frames >= 2)) throw new RangeError(`a sequence needs at least 2 frames, got ${frames}`)
  if (options.targets !== 1 && options.targets !== 2) throw new RangeError(`targets must be 1 or 2, got ${String(options.targets)}`)
  const rng = new Random(seedFor(options.seed, 'sequence'))
  const short = Math.min(width, height)
  const templates = Array.from({ length: options.targets }, (_, i) => makeObjectTemplate(rng.fork(101 + i), i, i % 2 === 1))

  const background = new Uint8Array(width * height * 3)
  paintBackground(background, width, height, rng)
  const staticNoise = rng.fork(3)
  for (let i = 0; i < options.clutter; i++) {
    const hue = rng.range(0, 360)
    const part: Part = {
      shape: { kind: rng.pick(['ellipse', 'rect', 'triangle'] as const), dx: 0, dy: 0, rx: rng.range(0.6, 1), ry: rng.range(0.4, 1), angle: 0 },
      hue,
      color: hslToRgb(hue, rng.range(0.2, 0.7), rng.range(0.3, 0.7)),
      texture: { kind: 'solid', frequency: 1, amplitude: 0 },
    }
    const placement: Placement = { cx: rng.range(0, width), cy: rng.range(0, height), scale: short * rng.range(0.03, 0.08), angle: rng.range(-Math.PI, Math.PI) }
    paintItem(background, width, height, { parts: [part], placement }, staticNoise, null)
  }

  // Distractors drift slowly; they are painted under the targets.
  const drift = (): readonly [number, number] => [rng.range(-0.006, 0.006) * width, rng.range(-0.006, 0.006) * height]
  const movers: Mover[] = []
  for (let i = 0; i < options.lookAlikes; i++) {
    const template = templates[i % templates.length]!
    const parts = template.parts.map((part) => ({ ...part, color: shiftColour(part.color, rng.range(30, 45), () => rng.next()) }))
    const start: Placement = { cx: rng.range(0.15, 0.85) * width, cy: rng.pick([0.18, 0.82]) * height, scale: short * rng.range(0.12, 0.17), angle: rng.range(-Math.PI, Math.PI) }
    movers.push({ parts, start, velocity: drift(), spin: rng.range(-0.05, 0.05) })
  }
  for (let i = 0; i < options.partDistractors; i++) {
    const source = rng.pick(templates[i % templates.length]!.parts)
    const part: Part = { ...source, color: shiftColour(source.color, rng.range(28, 45), () => rng.next()), shape: { ...source.shape, dx: 0, dy: 0, kind: rng.pick(['ellipse', 'rect'] as const) } }
    const start: Placement = { cx: rng.range(0, width), cy: rng.range(0, height), scale: short * rng.range(0.06, 0.1), angle: rng.range(-Math.PI, Math.PI) }
    movers.push({ parts: [part], start, velocity: drift(), spin: rng.range(-0.05, 0.05) })
  }

  // An occluder (a post) sweeps right to left across the first target's path early on, hiding it for a few frames.
  const occluderPart: Part = {
    shape: { kind: 'rect', dx: 0, dy: 0, rx: 0.25, ry: 1.3, angle: 0 },
    hue: 0,
    color: hslToRgb(rng.range(0, 360), 0.15, 0.45),
    texture: { kind: 'stripes', frequency: 3, amplitude: 12 },
  }
  const baseScales = templates.map(() => short * rng.range(0.15, 0.19))
  const spins = templates.map(() => rng.range(0.04, 0.08) * (rng.chance(0.5) ? 1 : -1))
  const startAngles = templates.map(() => rng.range(-Math.PI, Math.PI))

  const out: SequenceFrame[] = []
  for (let f = 0; f < frames; f++) {
    const t = f / (frames - 1)
    const rgb = background.slice()
    const noise = new Random(seedFor(options.seed, `frame-${f}`))
    for (const mover of movers) paintItem(rgb, width, height, { parts: mover.parts, placement: moved(mover, f) }, noise, null)
    const masks = templates.map((template, i) => {
      const [fx, fy] = along(PATHS[i]!, t)
      // Scale breathes by about +-25% over the sequence; the object turns steadily.
      const placement: Placement = { cx: fx * width, cy: fy * height, scale: baseScales[i]! * (1 + 0.25 * Math.sin(2 * Math.PI * t * 1.3)), angle: startAngles[i]! + spins[i]! * f }
      const mask = new Uint8Array(width * height)
      paintItem(rgb, width, height, { parts: template.parts, placement }, noise, mask)
      return mask
    })
    const occluder: Item = { parts: [occluderPart], placement: { cx: width * (1.2 - 3.5 * t), cy: height * 0.46, scale: short * 0.3, angle: 0.15 } }
    const hidden = new Uint8Array(width * height)
    paintItem(rgb, width, height, occluder, noise, hidden)
    // What is painted later hides what is below: the occluder hides every target, a later target an earlier one.
    for (let i = masks.length - 1; i >= 0; i--) {
      const mask = masks[i]!
      for (let p = 0; p < mask.length; p++) mask[p]! &= hidden[p]! ^ 1
      for (let p = 0; p < mask.length; p++) hidden[p]! |= mask[p]!
    }
    out.push({ rgb, masks })
  }
  return { width, height, templates, frames: out }
}
