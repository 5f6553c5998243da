/**
 * Object templates: a few coloured, textured parts arranged around the object's centre. Half of
 * the objects have parts of clearly different colours (40-65 apart in RGB): the scale-ambiguity
 * case PerSAM-F exists for, where a click on one part may give the part or the whole. The others
 * have parts of nearly one colour (10-22 apart) that differ in shape and texture.
 */
import { colourDistance, hslToRgb, hueName, shiftColour, type Rgb } from './color'
import type { Random } from './random'
import type { LocalShape, ShapeKind } from './shapes'

export type TextureKind = 'solid' | 'stripes' | 'checker' | 'dots'

export interface Texture {
  readonly kind: TextureKind
  /** Cycles per object unit. */
  readonly frequency: number
  /** Brightness swing, in 0..255 units. */
  readonly amplitude: number
}

export interface Part {
  readonly shape: LocalShape
  readonly color: Rgb
  readonly hue: number
  readonly texture: Texture
}

export interface ObjectTemplate {
  readonly name: string
  readonly parts: readonly Part[]
  /** True when some part's colour is more than 35 (RGB distance) from the body's. */
  readonly partsDifferInColour: boolean
  readonly baseHue: number
}

const BODY_SHAPES: readonly ShapeKind[] = ['ellipse', 'roundedRect', 'rect', 'star', 'triangle']
const PART_SHAPES: readonly ShapeKind[] = ['ellipse', 'rect', 'triangle', 'roundedRect']
const NOUNS = ['mug', 'robot', 'bird', 'lamp', 'boot', 'teapot', 'car', 'kite', 'clock', 'duck', 'vase', 'drone']

function texture(rng: Random): Texture {
  const kind = rng.pick<TextureKind>(['solid', 'stripes', 'checker', 'dots'])
  return { kind, frequency: rng.range(2.5, 6), amplitude: kind === 'solid' ? rng.range(4, 10) : rng.range(14, 26) }
}

export function makeObjectTemplate(rng: Random, index: number, contrastingParts: boolean): ObjectTemplate {
  const baseHue = rng.range(0, 360)
  const partCount = rng.int(2, 3)
  const parts: Part[] = []
  const bodyHue = baseHue
  const body: LocalShape = {
    kind: rng.pick(BODY_SHAPES),
    dx: 0,
    dy: 0,
    rx: rng.range(0.55, 0.8),
    ry: rng.range(0.55, 0.8),
    angle: rng.range(-0.3, 0.3),
  }
  parts.push({ shape: body, hue: bodyHue, color: hslToRgb(bodyHue, rng.range(0.55, 0.85), rng.range(0.4, 0.6)), texture: texture(rng) })
  const bodyColour = parts[0]!.color
  for (let i = 1; i < partCount; i++) {
    const direction = (i / partCount) * 2 * Math.PI + rng.range(-0.5, 0.5)
    const color = shiftColour(bodyColour, contrastingParts ? rng.range(40, 65) : rng.range(10, 22), () => rng.next())
    parts.push({
      shape: {
        kind: rng.pick(PART_SHAPES),
        dx: Math.cos(direction) * rng.range(0.55, 0.75),
        dy: Math.sin(direction) * rng.range(0.55, 0.75),
        rx: rng.range(0.25, 0.4),
        ry: rng.range(0.2, 0.35),
        angle: direction,
      },
      hue: bodyHue,
      color,
      texture: texture(rng),
    })
  }
  const spread = Math.max(...parts.map((part) => colourDistance(part.color, bodyColour)))
  const name = `${String(index + 1).padStart(2, '0')}_${hueName(baseHue)}_${NOUNS[index % NOUNS.length]}`
  return { name, parts, partsDifferInColour: spread > 35, baseHue }
}
