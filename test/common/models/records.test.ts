import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { modelSettingsSchema, uniqueModelId } from '../../../src/common/models/records'
import { parseJsonRecord } from '../../../src/common/util/jsonRecord'
import { TransferRate } from '../../../src/common/models/transferRate'

const MODEL_ID = /^[a-z0-9][a-z0-9._-]*$/

describe('uniqueModelId', () => {
  it('makes a folder-safe id from any name, never one already taken', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.uniqueArray(fc.constantFrom('model', 'model-2', 'sam', 'my-sam', 'a'), { maxLength: 5 }), (name, taken) => {
        const id = uniqueModelId(name, new Set(taken))
        expect(id).toMatch(MODEL_ID)
        expect(taken).not.toContain(id)
        expect(id.length).toBeLessThanOrEqual(64)
      }),
    )
  })

  it('keeps readable names readable', () => {
    expect(uniqueModelId('My SAM (ViT-B).onnx', new Set())).toBe('my-sam-vit-b')
    expect(uniqueModelId('toy-sam', new Set(['toy-sam', 'toy-sam-2']))).toBe('toy-sam-3')
    expect(uniqueModelId('...', new Set())).toBe('model')
  })
})

describe('parseJsonRecord', () => {
  it('names the file and the field of a bad settings file', () => {
    expect(() => parseJsonRecord(modelSettingsSchema, '{"schemaVersion":1,"selectedModelId":null,"provider":"tpu"}', 'settings.json')).toThrow(/^settings\.json: provider: /)
    expect(parseJsonRecord(modelSettingsSchema, '{"schemaVersion":1,"selectedModelId":"x","provider":"cpu"}', 's.json')).toEqual({ schemaVersion: 1, selectedModelId: 'x', provider: 'cpu' })
  })
})

describe('TransferRate', () => {
  it('measures bytes per second over the recent window, not since the start', () => {
    const rate = new TransferRate(5_000)
    expect(rate.bytesPerSecond()).toBe(0)
    expect(rate.etaSeconds(100)).toBeNull()
    // 10 s at 1 MB/s, then 10 s at 4 MB/s: the window sees only the recent speed.
    for (let second = 0; second <= 10; second++) rate.record(second * 1000, second * 1_000_000)
    for (let second = 11; second <= 20; second++) rate.record(second * 1000, 10_000_000 + (second - 10) * 4_000_000)
    expect(rate.bytesPerSecond()).toBe(4_000_000)
    expect(rate.etaSeconds(8_000_000)).toBe(2)
    expect(rate.etaSeconds(0)).toBe(0)
  })

  it('starts over when the count goes back (a download restarted from zero)', () => {
    const rate = new TransferRate(5_000)
    rate.record(0, 0)
    rate.record(1000, 5_000)
    rate.record(2000, 0)
    expect(rate.bytesPerSecond()).toBe(0)
    rate.record(3000, 2_000)
    expect(rate.bytesPerSecond()).toBe(2_000)
  })
})
