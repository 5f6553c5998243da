/** CIELAB ΔE*76 between two '#rrggbb' colours (D65): an independent yardstick for colour tests. */
function lab(color: string): [number, number, number] {
  const n = parseInt(color.slice(1), 16)
  const [r, g, b] = [n >> 16, (n >> 8) & 255, n & 255].map((c) => {
    const v = c / 255
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116)
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))]
}

export function deltaE76(first: string, second: string): number {
  const a = lab(first)
  const b = lab(second)
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])
}

/** The closest pair of `colors` and its ΔE*76. */
export function closestPair(colors: readonly string[]): { pair: [string, string]; distance: number } {
  let best: { pair: [string, string]; distance: number } = { pair: ['', ''], distance: Infinity }
  for (let i = 0; i < colors.length; i++) {
    for (let j = i + 1; j < colors.length; j++) {
      const distance = deltaE76(colors[i]!, colors[j]!)
      if (distance < best.distance) best = { pair: [colors[i]!, colors[j]!], distance }
    }
  }
  return best
}
