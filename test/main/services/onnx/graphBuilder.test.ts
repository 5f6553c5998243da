import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { attr, decodeModel, encodeModel, GraphBuilder } from '../../../../src/main/services/onnx/graphBuilder'
import { createOps } from '../../../../src/main/services/onnx/ops'

function buildAffine(): GraphBuilder {
  const g = new GraphBuilder('affine')
  const op = createOps(g)
  const x = g.input('x', 'float32', ['batch', 3])
  const scaled = op.mul(x, g.float('scale', [1, 2, 3]))
  const summed = op.reduceSum(scaled, [1], false, 'row_sum')
  g.output('y', op.add(summed, g.float('offset', 0.5)), 'float32', ['batch'])
  g.output('top', op.reduceMax(x, [1], false), 'float32', ['batch'])
  return g
}

describe('GraphBuilder', () => {
  it('builds a model onnxruntime runs, with named nodes, symbolic dims and typed attributes', async () => {
    const bytes = encodeModel(buildAffine().build({ producerName: 'test' }))
    const session = await ort.InferenceSession.create(bytes)
    expect(session.inputNames).toEqual(['x'])
    expect(session.outputNames).toEqual(['y', 'top'])
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 1, 1, 2, 0, -1]), [2, 3]) })
    expect([...(out.y!.data as Float32Array)]).toEqual([6.5, -0.5])
    expect([...(out.top!.data as Float32Array)]).toEqual([1, 2])
    const model = decodeModel(bytes)
    expect(Number(model.opsetImport[0]?.version)).toBe(17)
    expect(model.graph?.node?.map((node) => node.name)).toContain('row_sum')
    expect(model.graph?.input?.[0]?.type?.tensorType?.shape?.dim?.[0]?.dimParam).toBe('batch')
  })

  it('produces identical bytes for identical graphs', () => {
    const first = encodeModel(buildAffine().build({ producerName: 'test' }))
    const second = encodeModel(buildAffine().build({ producerName: 'test' }))
    expect(Buffer.compare(Buffer.from(first), Buffer.from(second))).toBe(0)
  })

  it('stores int attributes as INT and float ones as FLOAT', () => {
    const g = new GraphBuilder('attrs')
    const x = g.input('x', 'float32', [1])
    g.output('y', g.node('LeakyRelu', [x], { attributes: { alpha: attr.float(2) } }), 'float32', [1])
    g.node('Flatten', [x], { attributes: { axis: attr.int(2) } })
    const nodes = decodeModel(encodeModel(g.build({ producerName: 'test' }))).graph!.node!
    expect(nodes[0]!.attribute![0]).toMatchObject({ name: 'alpha', f: 2, type: 1 })
    expect(nodes[2]!.attribute![0]).toMatchObject({ name: 'axis', type: 2 })
  })

  it('refuses duplicate names and initializers whose data does not fit their dims', () => {
    const g = new GraphBuilder('bad')
    g.input('x', 'float32', [1])
    expect(() => g.input('x', 'float32', [1])).toThrow(/"x" is already used/)
    expect(() => g.initializer('w', 'float32', [2, 2], new Float32Array(3))).toThrow(/3 values for dims \[2,2\]/)
    expect(g.uniqueName('x')).toBe('x_1')
  })
})
