/**
 * The toy encoder: image [1,3,1024,1024] (SAM-normalised, zero-padded) -> image_embeddings
 * [1,256,64,64]. Each embedding cell is an RBF encoding of the mean colour of its 16x16 block, so
 * cells of similar colour have a high cosine similarity. Math: resources/models/toy-sam/README.md.
 */
import { GraphBuilder } from '../../src/main/services/onnx/graphBuilder'
import { createOps } from '../../src/main/services/onnx/ops'
import { CANVAS, CELL, COLOUR_SIGMA, FEATURES, GRID, PIXEL_MEAN, PIXEL_STD, colourCentres } from './parameters'

export function buildToyEncoder(): GraphBuilder {
  const g = new GraphBuilder('toy_sam_encoder')
  const op = createOps(g)
  const image = g.input('image', 'float32', [1, 3, CANVAS, CANVAS])

  // Mean colour of each cell, back on the 0–255 scale (padding cells come out as the pixel mean).
  const pooled = op.averagePool(image, [CELL, CELL], 'cell_mean')
  const colour = op.add(op.mul(pooled, g.float('pixel_std', [...PIXEL_STD], [1, 3, 1, 1])), g.float('pixel_mean', [...PIXEL_MEAN], [1, 3, 1, 1]), 'cell_colour')

  // |c - m_k|^2 = |c|^2 - 2 c.m_k + |m_k|^2, the cross term as a 1x1 convolution over the colour channels.
  const centres = colourCentres()
  const weight = new Float32Array(FEATURES * 3)
  const bias = new Float32Array(FEATURES)
  for (let k = 0; k < FEATURES; k++) {
    let squared = 0
    for (let c = 0; c < 3; c++) {
      const m = centres[k * 3 + c]!
      weight[k * 3 + c] = -2 * m
      squared += m * m
    }
    bias[k] = squared
  }
  const cross = op.conv1x1(colour, g.initializer('centre_weight', 'float32', [FEATURES, 3, 1, 1], weight), g.initializer('centre_norm2', 'float32', [FEATURES], bias), 'centre_cross')
  const distance2 = op.add(cross, op.reduceSumSquare(colour, [1], true, 'colour_norm2'), 'centre_distance2')
  const embedding = op.exp(op.mul(distance2, g.float('rbf_gain', -1 / (2 * COLOUR_SIGMA * COLOUR_SIGMA))), 'rbf')
  g.output('image_embeddings', embedding, 'float32', [1, FEATURES, GRID, GRID])
  return g
}
