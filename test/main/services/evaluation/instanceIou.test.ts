import { describe, expect, it } from 'vitest'
import { instanceIou } from '../../../../src/main/services/evaluation/proposalCollection'

const mask = (width: number, rows: string[]) => ({ width, height: rows.length, data: Uint8Array.from(rows.join('').split(''), (c) => (c === '#' ? 1 : 0)) })

describe('instanceIou', () => {
  const truth = mask(8, ['##....##', '##....##', '........'])

  it('scores a proposal on the instance it covers, not on every instance', () => {
    expect(instanceIou(mask(8, ['##......', '##......', '........']), truth)).toBe(1)
    // One instance plus one stray pixel: 4 / 5.
    expect(instanceIou(mask(8, ['###.....', '##......', '........']), truth)).toBeCloseTo(4 / 5, 10)
  })

  it('counts both instances when the proposal spans both, and 0 when it touches none', () => {
    expect(instanceIou(mask(8, ['########', '##....##', '........']), truth)).toBeCloseTo(8 / 12, 10)
    expect(instanceIou(mask(8, ['........', '........', '####....']), truth)).toBe(0)
  })
})
