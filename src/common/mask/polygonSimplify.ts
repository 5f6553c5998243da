/** Douglas-Peucker simplification of closed outlines, with vertices that must survive. */

/** Vertices of a closed outline to keep (Douglas-Peucker within `tolerance`, `fixed` always; all if < 3 would remain). */
export function simplifyClosed(xs: readonly number[], ys: readonly number[], fixed: readonly boolean[], tolerance: number): boolean[] {
  const n = xs.length
  const keep = new Array<boolean>(n).fill(tolerance <= 0 || n <= 3)
  if (tolerance <= 0 || n <= 3) return keep
  const anchors: number[] = []
  for (let i = 0; i < n; i++) if (fixed[i]) anchors.push(i)
  if (anchors.length === 0) anchors.push(0)
  if (anchors.length === 1) {
    // A closed outline needs two split points: the first anchor and the vertex farthest from it.
    const a = anchors[0]!
    let far = a
    let best = -1
    for (let i = 0; i < n; i++) {
      const d = (xs[i]! - xs[a]!) ** 2 + (ys[i]! - ys[a]!) ** 2
      if (d > best) {
        best = d
        far = i
      }
    }
    if (far !== a) anchors.push(far)
    anchors.sort((p, q) => p - q)
  }
  for (const a of anchors) keep[a] = true
  const tolerance2 = tolerance * tolerance
  for (let k = 0; k < anchors.length; k++) {
    const start = anchors[k]!
    const end = anchors[(k + 1) % anchors.length]!
    // Chain positions are offsets from `start`, so the wrap-around chain needs no special case.
    const length = (end - start + n) % n || n
    const stack: [number, number][] = [[0, length]]
    while (stack.length > 0) {
      const [from, to] = stack.pop()!
      if (to - from < 2) continue
      const p = (start + from) % n
      const q = (start + to) % n
      let farthest = -1
      let farthestDistance = tolerance2
      for (let j = from + 1; j < to; j++) {
        const r = (start + j) % n
        const d = segmentDistance2(xs[r]!, ys[r]!, xs[p]!, ys[p]!, xs[q]!, ys[q]!)
        if (d > farthestDistance) {
          farthestDistance = d
          farthest = j
        }
      }
      if (farthest < 0) continue
      keep[(start + farthest) % n] = true
      stack.push([from, farthest], [farthest, to])
    }
  }
  let kept = 0
  for (const k of keep) if (k) kept++
  return kept >= 3 ? keep : keep.fill(true)
}

/** Squared distance from point (px, py) to the segment (ax, ay)-(bx, by). */
function segmentDistance2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax
  const dy = by - ay
  const length2 = dx * dx + dy * dy
  let t = length2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / length2
  if (t < 0) t = 0
  else if (t > 1) t = 1
  const ex = px - (ax + t * dx)
  const ey = py - (ay + t * dy)
  return ex * ex + ey * ey
}
