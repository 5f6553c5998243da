/**
 * Opset-17 operator helpers over a GraphBuilder, so generated graphs read like the math they
 * implement. Each helper adds one node (constants are initializers) and returns its output name.
 * Opset 17 detail worth knowing: ReduceSum, Squeeze and Unsqueeze take axes as an input, the
 * other reductions (ReduceMax, ReduceMean, ReduceSumSquare) still take an `axes` attribute.
 */
import { attr, type GraphBuilder } from './graphBuilder'

export type Ops = ReturnType<typeof createOps>

export function createOps(g: GraphBuilder) {
  const unary = (opType: string) => (x: string, name?: string) => g.node(opType, [x], { name })
  const binary = (opType: string) => (a: string, b: string, name?: string) => g.node(opType, [a, b], { name })
  const attrReduce = (opType: string) => (x: string, axes: readonly number[], keepdims: boolean, name?: string) =>
    g.node(opType, [x], { name, attributes: { axes: attr.ints(axes), keepdims: attr.int(keepdims ? 1 : 0) } })

  return {
    g,
    add: binary('Add'),
    sub: binary('Sub'),
    mul: binary('Mul'),
    div: binary('Div'),
    max: binary('Max'),
    min: binary('Min'),
    pow: binary('Pow'),
    matmul: binary('MatMul'),
    equal: binary('Equal'),
    greater: binary('Greater'),
    greaterOrEqual: binary('GreaterOrEqual'),
    lessOrEqual: binary('LessOrEqual'),
    and: binary('And'),
    exp: unary('Exp'),
    sqrt: unary('Sqrt'),
    floor: unary('Floor'),
    neg: unary('Neg'),
    not: unary('Not'),
    identity: unary('Identity'),
    shape: unary('Shape'),
    reduceMax: attrReduce('ReduceMax'),
    reduceMean: attrReduce('ReduceMean'),
    reduceSumSquare: attrReduce('ReduceSumSquare'),
    reduceSum: (x: string, axes: readonly number[], keepdims: boolean, name?: string) =>
      g.node('ReduceSum', [x, g.int64('axes', axes)], { name, attributes: { keepdims: attr.int(keepdims ? 1 : 0) } }),
    cast: (x: string, to: 'float32' | 'int64' | 'bool', name?: string) =>
      g.node('Cast', [x], { name, attributes: { to: attr.int({ float32: 1, int64: 7, bool: 9 }[to]) } }),
    /** Boolean condition to 0/1 float32. */
    asFloat: (condition: string, name?: string) => g.node('Cast', [condition], { name, attributes: { to: attr.int(1) } }),
    clip: (x: string, min: number, max: number, name?: string) =>
      g.node('Clip', [x, g.float('clip_min', min), g.float('clip_max', max)], { name }),
    reshape: (x: string, shape: readonly number[], name?: string) => g.node('Reshape', [x, g.int64('shape', shape)], { name }),
    transpose: (x: string, perm: readonly number[], name?: string) => g.node('Transpose', [x], { name, attributes: { perm: attr.ints(perm) } }),
    squeeze: (x: string, axes: readonly number[], name?: string) => g.node('Squeeze', [x, g.int64('axes', axes)], { name }),
    unsqueeze: (x: string, axes: readonly number[], name?: string) => g.node('Unsqueeze', [x, g.int64('axes', axes)], { name }),
    concat: (inputs: readonly string[], axis: number, name?: string) => g.node('Concat', inputs, { name, attributes: { axis: attr.int(axis) } }),
    gather: (data: string, indices: string, axis: number, name?: string) =>
      g.node('Gather', [data, indices], { name, attributes: { axis: attr.int(axis) } }),
    /** Slice with dynamic (tensor) starts/ends. */
    slice: (x: string, starts: string, ends: string, axes: string, name?: string) => g.node('Slice', [x, starts, ends, axes], { name }),
    /** Bilinear resize to `sizes` (an int64 tensor name), align_corners=False like torch's interpolate. */
    resizeBilinear: (x: string, sizes: string, name?: string) =>
      g.node('Resize', [x, '', '', sizes], {
        name,
        attributes: { mode: attr.string('linear'), coordinate_transformation_mode: attr.string('half_pixel') },
      }),
    averagePool: (x: string, kernel: readonly number[], name?: string) =>
      g.node('AveragePool', [x], { name, attributes: { kernel_shape: attr.ints(kernel), strides: attr.ints(kernel) } }),
    /** 3x3 max pooling, stride 1, padded to keep the size: one step of 8-connected dilation. */
    maxPool3x3: (x: string, name?: string) =>
      g.node('MaxPool', [x], { name, attributes: { kernel_shape: attr.ints([3, 3]), strides: attr.ints([1, 1]), pads: attr.ints([1, 1, 1, 1]) } }),
    conv1x1: (x: string, weight: string, bias: string, name?: string) =>
      g.node('Conv', [x, weight, bias], { name, attributes: { kernel_shape: attr.ints([1, 1]) } }),
    /** where(condition, a, b) with 0/1 float masks: mask*a + (1-mask)*b, no Where node needed. */
    select(mask: string, whenOne: string, whenZero: string, name?: string): string {
      const one = g.float('one', 1)
      return g.node('Add', [g.node('Mul', [mask, whenOne]), g.node('Mul', [g.node('Sub', [one, mask]), whenZero])], { name })
    },
  }
}
