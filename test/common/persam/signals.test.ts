import { describe, expect, it } from 'vitest'
import { LOW_RES_PLANE } from '../../../src/common/sam/port'
import { maskShape, stabilityScore } from '../../../src/common/persam/signals'

describe('proposal signals', () => {
  it('stability is the IoU of the masks at logit +1 and -1', () => {
    const logits = new Float32Array(LOW_RES_PLANE).fill(-5)
    logits.fill(3, 0, 300) // confidently in
    logits.fill(0, 300, 400) // between -1 and +1: in the loose mask only
    expect(stabilityScore(logits)).toBeCloseTo(300 / 400, 10)
    expect(stabilityScore(new Float32Array(LOW_RES_PLANE).fill(-5))).toBe(0)
  })

  it('counts 4-connected components, area and border contact', () => {
    const width = 6
    const height = 4
    const data = Uint8Array.from([
      1, 1, 0, 0, 0, 0,
      0, 0, 0, 1, 1, 0,
      0, 0, 0, 0, 1, 0,
      0, 0, 1, 0, 0, 0,
    ])
    const shape = maskShape({ width, height, data })
    expect(shape.area).toBe(6)
    // The diagonal neighbour (3,3)-(2,4) is not 4-connected: three components.
    expect(shape.components).toBe(3)
    // Border pixels: 2*6 + 2*2 = 16; touching: (0,0), (1,0), (2,3).
    expect(shape.borderContact).toBeCloseTo(3 / 16, 10)
  })
})
