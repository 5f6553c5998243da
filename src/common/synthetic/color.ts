/** Colour helpers for the synthetic datasets: HSL in degrees and [0, 1]. */
export type Rgb = readonly [number, number, number]

export function hslToRgb(hue: number, saturation: number, lightness: number): Rgb {
  const h = (((hue % 360) + 360) % 360) / 60
  const c = (1 - Math.abs(2 * lightness - 1)) * saturation
  const x = c * (1 - Math.abs((h % 2) - 1))
  const m = lightness - c / 2
  const [r, g, b] = h < 1 ? [c, x, 0] : h < 2 ? [x, c, 0] : h < 3 ? [0, c, x] : h < 4 ? [0, x, c] : h < 5 ? [x, 0, c] : [c, 0, x]
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)]
}

const HUE_NAMES: readonly [number, string][] = [
  [15, 'red'],
  [40, 'orange'],
  [65, 'yellow'],
  [150, 'green'],
  [195, 'teal'],
  [250, 'blue'],
  [290, 'purple'],
  [335, 'pink'],
  [360, 'red'],
]

export function hueName(hue: number): string {
  const h = ((hue % 360) + 360) % 360
  return HUE_NAMES.find(([limit]) => h < limit)?.[1] ?? 'red'
}

export function clampByte(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : Math.round(value)
}

/** `color` moved by `distance` (Euclidean, 0..255 units) along a random direction, kept in range. */
export function shiftColour(color: Rgb, distance: number, next: () => number): Rgb {
  for (let attempt = 0; attempt < 20; attempt++) {
    const z = 2 * next() - 1
    const angle = 2 * Math.PI * next()
    const r = Math.sqrt(1 - z * z)
    const shifted = [color[0] + distance * r * Math.cos(angle), color[1] + distance * r * Math.sin(angle), color[2] + distance * z]
    if (shifted.every((v) => v >= 0 && v <= 255)) return shifted.map(Math.round) as unknown as Rgb
  }
  return color.map((v) => clampByte(v + (v < 128 ? distance : -distance) / Math.sqrt(3))) as unknown as Rgb
}

export function colourDistance(a: Rgb, b: Rgb): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])
}
