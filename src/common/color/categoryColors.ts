/**
 * Category colours that stay apart: each new category takes the colour farthest, in OKLab (a
 * perceptually uniform space), from the colours already in use, among bright saturated sRGB
 * colours that read on photos and on the dark theme. The first is the studio blue; the next ones
 * follow by themselves, also after the user recoloured a category.
 */

export type Oklab = readonly [l: number, a: number, b: number]

const FIRST_COLOR = '#3399ff'
/** sRGB levels of the candidate grid: 6 per channel, 216 colours before filtering. */
const LEVELS = [0, 51, 102, 153, 204, 255]
/** Candidates: not too dark, not too pale, clearly coloured (OKLab lightness and chroma). */
const MIN_LIGHTNESS = 0.55
const MAX_LIGHTNESS = 0.92
const MIN_CHROMA = 0.09

const HEX = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i

function linear(channel: number): number {
  const c = channel / 255
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
}

/** '#rrggbb' in OKLab; null for anything else. */
export function hexToOklab(color: string): Oklab | null {
  const match = HEX.exec(color)
  if (!match) return null
  const [r, g, b] = [match[1]!, match[2]!, match[3]!].map((part) => linear(parseInt(part, 16))) as [number, number, number]
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b)
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b)
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b)
  return [0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s, 1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s, 0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s]
}

/** Perceptual distance between two '#rrggbb' colours (Euclidean in OKLab; 0.1 is a clear difference). */
export function colorDistance(first: string, second: string): number {
  const a = hexToOklab(first)
  const b = hexToOklab(second)
  if (!a || !b) return 0
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])
}

let candidates: readonly string[] | null = null

function candidateColors(): readonly string[] {
  if (candidates) return candidates
  const list: string[] = []
  for (const r of LEVELS) {
    for (const g of LEVELS) {
      for (const b of LEVELS) {
        const color = `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`
        const [l, a, bb] = hexToOklab(color)!
        if (l >= MIN_LIGHTNESS && l <= MAX_LIGHTNESS && Math.hypot(a, bb) >= MIN_CHROMA) list.push(color)
      }
    }
  }
  candidates = list
  return list
}

/** The colour for a new category: the candidate farthest from every colour in `used` (ties: the first). */
export function nextCategoryColor(used: readonly string[]): string {
  const taken = used.map(hexToOklab).filter((lab): lab is Oklab => lab !== null)
  if (taken.length === 0) return FIRST_COLOR
  let best = FIRST_COLOR
  let bestDistance = -1
  for (const color of candidateColors()) {
    const lab = hexToOklab(color)!
    let nearest = Infinity
    for (const other of taken) nearest = Math.min(nearest, Math.hypot(lab[0] - other[0], lab[1] - other[1], lab[2] - other[2]))
    if (nearest > bestDistance) {
      bestDistance = nearest
      best = color
    }
  }
  return best
}

/** The first `count` colours new categories get in an empty project. */
export function categoryPalette(count: number): string[] {
  const colors: string[] = []
  while (colors.length < count) colors.push(nextCategoryColor(colors))
  return colors
}
