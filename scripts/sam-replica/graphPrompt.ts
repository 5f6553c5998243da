/**
 * SamOnnxModel's prompt side as exported: point embedding (the +0.5 pixel-centre shift, /1024,
 * random Fourier features, not_a_point / point embeddings selected by label), mask embedding
 * (downscaling convs, or no_mask_embed when has_mask_input is 0) and the dense positional
 * encoding of the 64x64 grid.
 */
import { attr } from '../../src/main/services/onnx/graphBuilder'
import { CANVAS, EMBED, GRID } from './config'
import { conv, gelu, layerNorm2d } from './graphModules'
import type { TorchGraph } from './torchGraph'
import type { ReplicaWeights } from './weights'

export const PROMPT = 'model.prompt_encoder'
const GAUSSIAN = `${PROMPT}.pe_layer.positional_encoding_gaussian_matrix`

/** int64 scalars the export creates once and reuses (for hs[:, i] and orig_im_size[i]). */
export interface IndexConstants {
  readonly zero: string
  readonly one: string
  readonly two: string
  readonly three: string
}

export function fourierFeatures(t: TorchGraph, coords: string, gaussian: string): string {
  const angles = t.op('Mul', [t.op('MatMul', [coords, gaussian]), t.float(2 * Math.PI)])
  return t.op('Concat', [t.op('Sin', [angles]), t.op('Cos', [angles])], { axis: attr.int(-1) })
}

export function embedPoints(t: TorchGraph, w: ReplicaWeights, pointCoords: string, pointLabels: string): { sparse: string; index: IndexConstants } {
  const one = t.int64(1)
  const shifted = t.op('Add', [pointCoords, t.float(0.5)])
  const unit = t.op('Div', [shifted, t.float(CANVAS)])
  const centred = t.op('Sub', [t.op('Mul', [unit, t.float(2)]), t.float(1)])
  const gaussian = t.param(GAUSSIAN, [2, EMBED / 2], w.prompt.gaussian)
  const features = fourierFeatures(t, centred, gaussian)
  const labels = t.op('Expand', [t.op('Unsqueeze', [pointLabels, t.int64s([-1])]), t.op('Shape', [features])])
  const is = (value: number) => t.op('Cast', [t.op('Equal', [labels, t.float(value)])], { to: attr.int(1) })

  const isPoint = t.op('Cast', [t.op('Not', [t.op('Equal', [labels, t.float(-1)])])], { to: attr.int(1) })
  let embedding = t.op('Mul', [features, isPoint])
  const notAPoint = t.param(`${PROMPT}.not_a_point_embed.weight`, [1, EMBED], w.prompt.notAPoint)
  embedding = t.op('Add', [embedding, t.op('Mul', [notAPoint, is(-1)])])
  const index: Partial<Record<keyof IndexConstants, string>> = { one }
  const names = ['zero', 'one', 'two', 'three'] as const
  w.prompt.pointEmbeddings.forEach((weights, label) => {
    if (label !== 1) index[names[label]!] = t.int64(label)
    const table = t.param(`${PROMPT}.point_embeddings.${label}.weight`, [1, EMBED], weights)
    embedding = t.op('Add', [embedding, t.op('Mul', [table, is(label)])])
  })
  return { sparse: embedding, index: index as IndexConstants }
}

export function embedMask(t: TorchGraph, w: ReplicaWeights, maskInput: string, hasMaskInput: string): string {
  const layers = w.prompt.maskDownscaling
  const name = `${PROMPT}.mask_downscaling`
  const downscaled = t.within('mask_downscaling', () => {
    let x = t.within('mask_downscaling.0', () => conv(t, maskInput, layers.conv0, `${name}.0`, false))
    x = t.within('mask_downscaling.1', () => layerNorm2d(t, x, layers.norm1))
    x = t.within('mask_downscaling.2', () => gelu(t, x))
    x = t.within('mask_downscaling.3', () => conv(t, x, layers.conv3, `${name}.3`, false))
    x = t.within('mask_downscaling.4', () => layerNorm2d(t, x, layers.norm4))
    x = t.within('mask_downscaling.5', () => gelu(t, x))
    return t.within('mask_downscaling.6', () => conv(t, x, layers.conv6, `${name}.6`, false))
  })
  const withMask = t.op('Mul', [hasMaskInput, downscaled])
  const withoutMask = t.op('Mul', [t.op('Sub', [t.float(1), hasMaskInput]), t.folded('Mul', [1, EMBED, 1, 1], w.prompt.noMask)])
  return t.op('Add', [withMask, withoutMask])
}

/** get_dense_pe(): Fourier features of the 64x64 cell centres (folded to 2*((j+0.5)/64)-1), [1, 256, 64, 64]. */
export function densePositionalEncoding(t: TorchGraph): string {
  const grid = new Float32Array(GRID * GRID * 2)
  for (let row = 0; row < GRID; row++) {
    for (let col = 0; col < GRID; col++) {
      grid[(row * GRID + col) * 2] = (2 * (col + 0.5)) / GRID - 1
      grid[(row * GRID + col) * 2 + 1] = (2 * (row + 0.5)) / GRID - 1
    }
  }
  const coords = t.helperConstant('MatMul', { type: 'float32', dims: [GRID, GRID, 2], data: grid })
  const encoding = t.within('pe_layer', () => t.op('Transpose', [fourierFeatures(t, coords, GAUSSIAN)], { perm: attr.ints([2, 0, 1]) }))
  return t.op('Unsqueeze', [encoding, t.int64s([0])])
}
