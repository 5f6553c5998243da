import { describe, expect, it } from 'vitest'
import { generateSequence } from '../../../src/common/synthetic/sequence'

const area = (mask: Uint8Array): number => mask.reduce((sum, v) => sum + v, 0)

describe('synthetic tracking sequence', () => {
  it('is identical for one seed and differs for another', () => {
    const a = generateSequence({ seed: 3, frames: 6 })
    const b = generateSequence({ seed: 3, frames: 6 })
    const c = generateSequence({ seed: 4, frames: 6 })
    expect(a.frames.map((f) => Buffer.from(f.rgb).toString('base64'))).toEqual(b.frames.map((f) => Buffer.from(f.rgb).toString('base64')))
    expect(Buffer.from(a.frames[2]!.rgb).equals(Buffer.from(c.frames[2]!.rgb))).toBe(false)
  })

  it('shows the target in the first frame, loses it off-frame mid-sequence and brings it back', () => {
    const sequence = generateSequence()
    const areas = sequence.frames.map((frame) => area(frame.masks[0]!))
    expect(sequence.frames).toHaveLength(30)
    expect(areas[0]).toBeGreaterThan(300)
    const absent = areas.flatMap((a, i) => (a === 0 ? [i] : []))
    expect(absent.length).toBeGreaterThanOrEqual(3)
    expect(Math.max(...absent)).toBeLessThan(29)
    expect(areas[29]).toBeGreaterThan(300)
    // The target moves: its mask in the last frame is not where it was in the first.
    let shared = 0
    const first = sequence.frames[0]!.masks[0]!
    const last = sequence.frames[29]!.masks[0]!
    for (let p = 0; p < first.length; p++) shared += first[p]! & last[p]!
    expect(shared).toBeLessThan(0.5 * areas[0]!)
  })

  it('has a frame where the occluder hides much of the target while it is in view', () => {
    const areas = generateSequence().frames.map((frame) => area(frame.masks[0]!))
    const dips = areas.filter((a, i) => i > 0 && i < areas.length - 1 && a > 0 && a < 0.7 * Math.min(areas[i - 1]!, areas[i + 1]!))
    expect(dips.length).toBeGreaterThanOrEqual(1)
  })

  it('gives several targets masks that never overlap and differ from each other', () => {
    const sequence = generateSequence({ targets: 2, frames: 12 })
    expect(sequence.templates).toHaveLength(2)
    for (const frame of sequence.frames) {
      const [a, b] = frame.masks as [Uint8Array, Uint8Array]
      expect(a.length).toBe(sequence.width * sequence.height)
      for (let p = 0; p < a.length; p++) if (a[p]! & b[p]!) throw new Error(`targets overlap at pixel ${p}`)
      expect(area(b)).toBeGreaterThan(0)
    }
  })

  it('refuses a sequence shorter than two frames', () => {
    expect(() => generateSequence({ frames: 1 })).toThrow(/at least 2 frames/)
  })
})
