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
