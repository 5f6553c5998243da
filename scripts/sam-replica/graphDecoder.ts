/**
 * The structural replica of Meta's SAM decoder export (segment_anything/utils/onnx.py
 * SamOnnxModel, scripts/export_onnx_model.py without --return-single-mask, opset 17): the same
 * inputs, outputs, operators, wiring and node names as torch.onnx.export writes for it, with the
 * replica's reduced internal widths and seeded weights.
 */
import { attr, GraphBuilder } from '../../src/main/services/onnx/graphBuilder'
import { CANVAS, EMBED, GRID, LOW_RES, MASK_TOKENS } from './config'
import { conv, gelu, layerNorm2d, mlp2d } from './graphModules'
import { densePositionalEncoding, embedMask, embedPoints, type IndexConstants } from './graphPrompt'
import { prepareTransformerInputs, twoWayTransformer } from './graphTransformer'
import { TorchGraph } from './torchGraph'
import type { ReplicaWeights } from './weights'

const DECODER = 'mask_decoder'

function predictMasks(t: TorchGraph, w: ReplicaWeights, hs: string, keys: string, srcDims: readonly string[], index: IndexConstants): { lowRes: string; iou: string } {
  const iouTokenOut = t.op('Gather', [hs, index.zero], { axis: attr.int(1) })
  const axes = t.int64s([1])
  const starts = t.int64s([1])
  const ends = t.int64s([1 + MASK_TOKENS])
  const maskTokensOut = t.op('Slice', [hs, starts, ends, axes, t.int64s([1])])

  // src.transpose(1, 2).view(b, c, h, w)
  const image = t.op('Transpose', [keys], { perm: attr.ints([0, 2, 1]) })
  const imageShape = t.op('Concat', srcDims.map((dim) => t.unsqueezeScalar(dim)), { axis: attr.int(0) })
  const imageGrid = t.op('Reshape', [image, imageShape], { allowzero: attr.int(0) })
  const layers = w.decoder.upscaling
  const upscaled = t.within('output_upscaling', () => {
    let x = t.within('output_upscaling.0', () => conv(t, imageGrid, layers.convT0, `${DECODER}.output_upscaling.0`, true))
    x = t.within('output_upscaling.1', () => layerNorm2d(t, x, layers.norm1))
    x = t.within('output_upscaling.2', () => gelu(t, x))
    x = t.within('output_upscaling.3', () => conv(t, x, layers.convT3, `${DECODER}.output_upscaling.3`, true))
    return t.within('output_upscaling.4', () => gelu(t, x))
  })

  const tokenIndex = [index.zero, index.one, index.two, index.three]
  const hyper = w.decoder.hypernetworks.map((layersOfMlp, i) => {
    const token = t.op('Gather', [maskTokensOut, tokenIndex[i]!], { axis: attr.int(1) })
    return t.within(`output_hypernetworks_mlps.${i}`, () => mlp2d(t, token, layersOfMlp, `${DECODER}.output_hypernetworks_mlps.${i}`))
  })
  const stacked = t.op('Concat', hyper.map((value) => t.op('Unsqueeze', [value, t.int64s([1])])), { axis: attr.int(1) })

  // (hyper_in @ upscaled.view(b, c, h * w)).view(b, -1, h, w)
  const dim = (i: number) => t.op('Gather', [t.op('Shape', [upscaled]), t.int64(i)], { axis: attr.int(0) })
  const [b, c, h, wDim] = [dim(0), dim(1), dim(2), dim(3)]
  const pixels = t.op('Mul', [h!, wDim!])
  const flatShape = t.op('Concat', [t.unsqueezeScalar(b!), t.unsqueezeScalar(c!), t.unsqueezeScalar(pixels)], { axis: attr.int(0) })
  const product = t.op('MatMul', [stacked, t.op('Reshape', [upscaled, flatShape], { allowzero: attr.int(0) })])
  const batchAxis = t.unsqueezeScalar(b!)
  const maskShape = t.op('Concat', [batchAxis, t.int64s([-1]), t.unsqueezeScalar(h!), t.unsqueezeScalar(wDim!)], { axis: attr.int(0) })
  const lowRes = t.op('Reshape', [product, maskShape], { allowzero: attr.int(0) }, 'low_res_masks')
  const iou = t.within('iou_prediction_head', () => mlp2d(t, iouTokenOut, w.decoder.iouHead, `${DECODER}.iou_prediction_head`, 'iou_predictions'))
  return { lowRes, iou }
}

const RESIZE = {
  coordinate_transformation_mode: attr.string('half_pixel'),
  cubic_coeff_a: attr.float(-0.75),
  mode: attr.string('linear'),
  nearest_mode: attr.string('floor'),
}

/** x.shape[:2] */
function leadingDims(t: TorchGraph, x: string): string {
  const shape = t.op('Shape', [x])
  const axes = t.int64s([0])
  const starts = t.int64s([0])
  const ends = t.int64s([2])
  return t.op('Slice', [shape, starts, ends, axes])
}

/** mask_postprocessing: bilinear to 1024, crop the padding (floor(size * 1024 / max + 0.5)), bilinear to orig_im_size. */
function postprocess(t: TorchGraph, lowRes: string, origImSize: string, index: IndexConstants): string {
  const leading = leadingDims(t, lowRes)
  const canvas = t.op('Resize', [lowRes, '', '', t.op('Concat', [leading, t.int64s([CANVAS, CANVAS])], { axis: attr.int(0) })], RESIZE)

  const size = t.op('Cast', [origImSize], { to: attr.int(1) })
  const scale = t.op('Mul', [t.op('Reciprocal', [t.op('ReduceMax', [size], { keepdims: attr.int(0) })]), t.float(CANVAS)])
  const rounded = t.op('Floor', [t.op('Add', [t.op('Mul', [scale, size]), t.float(0.5)])])
  const prepadded = t.op('Cast', [t.op('Cast', [rounded], { to: attr.int(7) })], { to: attr.int(7) })
  const prepaddedH = t.op('Gather', [prepadded, index.zero], { axis: attr.int(0) })
  const prepaddedW = t.op('Gather', [prepadded, index.one], { axis: attr.int(0) })
  const crop = (x: string, end: string, axis: number) => {
    const start = t.int64s([0])
    const endAxis = t.op('Unsqueeze', [end, t.int64s([0])])
    return t.op('Slice', [x, start, endAxis, t.int64s([axis]), t.int64s([1])])
  }
  const cropped = crop(crop(canvas, prepaddedH, 2), prepaddedW, 3)

  const sizeInt = t.op('Cast', [size], { to: attr.int(7) })
  const h = t.op('Gather', [sizeInt, index.zero], { axis: attr.int(0) })
  const w = t.op('Gather', [sizeInt, index.one], { axis: attr.int(0) })
  const hw = t.op('Concat', [t.unsqueezeScalar(h), t.unsqueezeScalar(w)], { axis: attr.int(0) })
  const outputSize = t.op('Concat', [leadingDims(t, cropped), t.op('Cast', [hw], { to: attr.int(7) })], { axis: attr.int(0) })
  return t.op('Resize', [cropped, '', '', outputSize], RESIZE, 'masks')
}

export function buildReplicaDecoder(w: ReplicaWeights): GraphBuilder {
  const g = new GraphBuilder('torch_jit')
  const t = new TorchGraph(g)
  const imageEmbeddings = g.input('image_embeddings', 'float32', [1, EMBED, GRID, GRID])
  const pointCoords = g.input('point_coords', 'float32', [1, 'num_points', 2])
  const pointLabels = g.input('point_labels', 'float32', [1, 'num_points'])
  const maskInput = g.input('mask_input', 'float32', [1, 1, LOW_RES, LOW_RES])
  const hasMaskInput = g.input('has_mask_input', 'float32', [1])
  const origImSize = g.input('orig_im_size', 'float32', [2])

  const { sparse, index } = embedPoints(t, w, pointCoords, pointLabels)
  const dense = embedMask(t, w, maskInput, hasMaskInput)
  const densePe = densePositionalEncoding(t)
  const inputs = prepareTransformerInputs(t, w, imageEmbeddings, sparse, dense, densePe)
  const { hs, keys } = twoWayTransformer(t, w, inputs)
  const { lowRes, iou } = predictMasks(t, w, hs, keys, inputs.srcDims, index)
  const masks = postprocess(t, lowRes, origImSize, index)

  // The export's output order and its symbolic output dims.
  g.output('masks', masks, 'float32', [0, 1, 2, 3].map((i) => `Resizemasks_dim_${i}`))
  g.output('iou_predictions', iou, 'float32', ['Gemmiou_predictions_dim_0', MASK_TOKENS])
  g.output('low_res_masks', lowRes, 'float32', [0, 1, 2, 3].map((i) => `Reshapelow_res_masks_dim_${i}`))
  return g
}
