import { describe, expect, it } from 'vitest'
import type { PreparedTarget } from '../../../../src/common/persam/target'
import { mapStudioPath, parsePathMapping } from '../../../../src/main/services/queue/imageAccess'
import { imageIdOfTask, taskJobId, taskQueueName } from '../../../../src/main/services/queue/queueNames'
import { base64ToFloats, decodeTarget, encodeTarget, floatsToBase64, parseRunSpec, parseTask, parseTaskResult, TASK_FORMAT } from '../../../../src/main/services/queue/taskCodec'

const target: PreparedTarget = {
  method: 'persam-f',
  locationFeatures: [new Float32Array([0.1, -2.5, Math.PI]), new Float32Array([1e-30, 3.4e38, -0])],
  targetEmbedding: new Float32Array([1, 2, 3, 4]),
  maskFeature: new Float32Array([0.25, NaN]),
  fusion: { weights: [0.2, 0.3, 0.5], initialLoss: 1.25, finalLoss: 0.5, iterations: 1000 },
  referencePeak: 0.987654321,
  referenceAreaFraction: 0.0412345,
  fallbackReferences: 0,
}

describe('task codec', () => {
  it('round-trips a prepared target bit for bit through JSON', () => {
    const decoded = decodeTarget(parseRunSpec(JSON.stringify({ format: TASK_FORMAT, run: 'r1', modelSha: 'a'.repeat(64), segment: { maxInstances: 2 }, target: encodeTarget(target), images: { kind: 'path' } })).target)
    const bits = (values: Float32Array) => [...new Uint32Array(values.buffer, values.byteOffset, values.length)]
    expect(decoded.locationFeatures.map(bits)).toEqual(target.locationFeatures.map(bits))
    expect(bits(decoded.targetEmbedding)).toEqual(bits(target.targetEmbedding))
    expect(bits(decoded.maskFeature)).toEqual(bits(target.maskFeature))
    expect(decoded.fusion).toEqual(target.fusion)
    expect(decoded.referencePeak).toBe(target.referencePeak)
    expect(decoded.referenceAreaFraction).toBe(target.referenceAreaFraction)
  })

  it('is compact: 4 bytes per float before base64', () => {
    expect(floatsToBase64(new Float32Array(256)).length).toBe(Math.ceil((256 * 4) / 3) * 4)
    expect(() => base64ToFloats('AAA=')).toThrow(/not a multiple of 4/)
  })

  it('names the bad field of a task, a spec or a result', () => {
    expect(() => parseTask({ run: 'r', imageId: 'x', file: '/a.jpg' }, 'task r_1')).toThrow(/task r_1: imageId/)
    expect(() => parseRunSpec('{', 'run r')).toThrow(/run r: not JSON/)
    expect(() => parseRunSpec({ format: TASK_FORMAT, run: 'r', modelSha: 'nope', segment: { maxInstances: 1 }, target: encodeTarget(target), images: { kind: 'path' } })).toThrow(/modelSha/)
    expect(() => parseTaskResult({ proposals: [{ mask: { size: [1, 2], counts: 'x', area: -1, bbox: [0, 0, 1, 1] } }] })).toThrow(/proposals\.0\.mask\.area/)
    expect(parseTaskResult(JSON.stringify({ proposals: [{ mask: null, status: 'absent', score: 0.1, method: { a: 1 } }] })).proposals[0]).toEqual({ mask: null, status: 'absent', score: 0.1, method: { a: 1 } })
  })
})

describe('queue names and path mapping', () => {
  it('puts each model sha on its own queue and names tasks by run and image', () => {
    expect(taskQueueName('ab'.repeat(32))).not.toBe(taskQueueName('cd'.repeat(32)))
    expect(() => taskQueueName('toy-sam')).toThrow(/not a sha256/)
    expect(taskJobId('r1-2-3', 42)).toBe('r1-2-3_42')
    expect(imageIdOfTask('r1-2-3', 'r1-2-3_42')).toBe(42)
    expect(imageIdOfTask('r1-2-3', 'r1-2-4_42')).toBeNull()
  })

  it('maps studio paths on a path boundary only', () => {
    const mappings = [parsePathMapping('/studio/data=/mnt/shared')]
    expect(mapStudioPath('/studio/data/a/b.jpg', mappings)).toBe('/mnt/shared/a/b.jpg')
    expect(mapStudioPath('/studio/database/b.jpg', mappings)).toBe('/studio/database/b.jpg')
    expect(() => parsePathMapping('/no-equals')).toThrow(/--map-path "\/no-equals"/)
  })
})
