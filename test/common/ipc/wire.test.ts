import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fromWireJson, toWireJson } from '../../../src/common/ipc/wire'
import { base64Decode, base64Encode } from '../../../src/common/util/base64'

describe('base64', () => {
  it('matches Node Buffer on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const encoded = base64Encode(bytes)
        expect(encoded).toBe(Buffer.from(bytes).toString('base64'))
        expect(base64Decode(encoded)).toEqual(bytes)
      }),
    )
  })

  it('rejects malformed input with the offending character', () => {
    expect(() => base64Decode('ab$d')).toThrow(/character "\$" at 2/)
    expect(() => base64Decode('abc')).toThrow(/multiple of 4/)
  })
})

describe('wire JSON', () => {
  it('round-trips typed arrays nested in plain data', () => {
    const value = {
      mask: new Uint8Array([0, 1, 255]),
      logits: new Float32Array([-1.5, 0, 3.25]),
      counts: new Uint32Array([5, 3, 2]),
      nested: [{ ids: new Int32Array([-7, 9]) }],
      text: 'plain',
    }
    const back = fromWireJson(toWireJson(value)) as typeof value
    expect(back.mask).toBeInstanceOf(Uint8Array)
    expect(Array.from(back.mask)).toEqual([0, 1, 255])
    expect(back.logits).toBeInstanceOf(Float32Array)
    expect(Array.from(back.logits)).toEqual([-1.5, 0, 3.25])
    expect(Array.from(back.counts)).toEqual([5, 3, 2])
    expect(Array.from(back.nested[0]!.ids)).toEqual([-7, 9])
    expect(back.text).toBe('plain')
  })

  it('encodes only the viewed bytes of a subarray', () => {
    const whole = new Float32Array([1, 2, 3, 4])
    const back = fromWireJson(toWireJson(whole.subarray(1, 3))) as Float32Array
    expect(Array.from(back)).toEqual([2, 3])
  })

  it('leaves look-alike objects with unknown tags untouched', () => {
    const value = { $typed: 'bogus', base64: 'AAAA' }
    expect(fromWireJson(JSON.stringify(value))).toEqual(value)
  })
})
