/**
 * The toy decoder, with the official SAM decoder's inputs and outputs (names, shapes, prompt
 * conventions, mask post-processing). The PerSAM variant adds attn_sim and target_embedding.
 * Math: resources/models/toy-sam/README.md (section "Decoder").
 */
import { GraphBuilder } from '../../src/main/services/onnx/graphBuilder'
import { createOps } from '../../src/main/services/onnx/ops'
import {
  ATTN_SIM_WEIGHT,
  BOX_PENALTY,
  BOX_TOLERANCE,
  CANVAS,
  CELL,
  CONNECTIVITY_PENALTY,
  CONNECTIVITY_STEPS,
  EPSILON,
  FEATURES,
  GRID,
  LOGIT_SCALE,
  LOW_RES,
  MASK_INPUT_CLIP,
  MASK_THRESHOLDS,
  NEGATIVE_RADIUS,
  NEGATIVE_WEIGHT,
  NO_MATCH,
  STABILITY_OFFSET,
} from './parameters'

const MASKS = MASK_THRESHOLDS.length
const CELLS = GRID * GRID

function cellCentres(axis: 'x' | 'y'): Float32Array {
  const centres = new Float32Array(CELLS)
  for (let row = 0; row < GRID; row++) {
    for (let col = 0; col < GRID; col++) centres[row * GRID + col] = CELL * (axis === 'x' ? col : row) + CELL / 2
  }
  return centres
}

export function buildToyDecoder(options: { persam: boolean }): GraphBuilder {
  const g = new GraphBuilder(options.persam ? 'toy_sam_decoder_persam' : 'toy_sam_decoder')
  const op = createOps(g)
  const embeddings = g.input('image_embeddings', 'float32', [1, FEATURES, GRID, GRID])
  const pointCoords = g.input('point_coords', 'float32', [1, 'num_points', 2])
  const pointLabels = g.input('point_labels', 'float32', [1, 'num_points'])
  const maskInput = g.input('mask_input', 'float32', [1, 1, LOW_RES, LOW_RES])
  const hasMaskInput = g.input('has_mask_input', 'float32', [1])
  const origImSize = g.input('orig_im_size', 'float32', [2])
  const attnSim = options.persam ? g.input('attn_sim', 'float32', [1, 1, 1, CELLS]) : null
  const targetEmbedding = options.persam ? g.input('target_embedding', 'float32', [1, 1, FEATURES]) : null
  const half = g.float('half', 0.5)

  // Unit-length cell features, [4096,256] and transposed [256,4096].
  const features = op.transpose(op.reshape(embeddings, [FEATURES, CELLS]), [1, 0], 'cell_features')
  const norms = op.sqrt(op.reduceSumSquare(features, [1], true), 'cell_norms')
  const unit = op.div(features, op.max(norms, g.float('epsilon', EPSILON)), 'cell_unit')
  const unitT = op.transpose(unit, [1, 0], 'cell_unit_t')

  // Prompts: [N,2] coordinates in the 1024 frame and [N] labels as 0/1 masks per label value.
  const coords = op.reshape(pointCoords, [-1, 2], 'coords')
  const labels = op.reshape(pointLabels, [-1], 'labels')
  const isLabel = (value: number, name: string) => op.asFloat(op.equal(labels, g.float(`label_${name}`, value)), `is_${name}`)
  const positive = isLabel(1, 'positive')
  const negative = isLabel(0, 'negative')
  const topLeft = isLabel(2, 'box_top_left')
  const bottomRight = isLabel(3, 'box_bottom_right')
  const boxTopLeft = op.matmul(op.unsqueeze(topLeft, [0]), coords, 'box_tl_xy')
  const boxBottomRight = op.matmul(op.unsqueeze(bottomRight, [0]), coords, 'box_br_xy')
  const hasBox = op.reduceMax(topLeft, [0], true, 'has_box')

  // Positive prototypes: every label-1 point, plus the box centre when there is a box and no positive point.
  const noPositive = op.asFloat(op.equal(op.reduceSum(positive, [0], true), g.float('zero', 0)), 'no_positive')
  const centreWeight = op.mul(hasBox, noPositive, 'box_centre_weight')
  const boxCentre = op.mul(op.add(boxTopLeft, boxBottomRight), half, 'box_centre')
  const prototypeXY = op.concat([coords, boxCentre], 0, 'prototype_xy')
  const prototypeWeight = op.unsqueeze(op.concat([positive, centreWeight], 0), [1], 'prototype_weight')
  const cellXY = op.clip(op.floor(op.div(op.add(prototypeXY, half), g.float('cell_size', CELL))), 0, GRID - 1, 'prototype_cell_xy')
  const cellIndex = op.cast(op.reshape(op.matmul(cellXY, g.float('cell_stride', [1, GRID], [2, 1])), [-1]), 'int64', 'prototype_cell')
  const similarity = op.matmul(op.gather(unit, cellIndex, 0, 'prototype_features'), unitT, 'prototype_similarity')
  let score = op.reduceMax(op.select(prototypeWeight, similarity, g.float('no_match', NO_MATCH)), [0], false, 'positive_score')
  // Connectivity seeds: the prototypes' own cells.
  const cellIds = g.initializer('cell_ids', 'float32', [1, CELLS], Float32Array.from({ length: CELLS }, (_, i) => i))
  const oneHot = op.asFloat(op.equal(op.unsqueeze(op.cast(cellIndex, 'float32'), [1]), cellIds), 'prototype_one_hot')
  let seeds = op.reduceMax(op.mul(oneHot, prototypeWeight), [0], false, 'prototype_seeds')

  if (targetEmbedding) {
    // The target embedding is one more positive prototype, switched off when it is all zeros.
    const target = op.reshape(targetEmbedding, [1, FEATURES])
    const targetNorm = op.sqrt(op.reduceSumSquare(target, [1], true), 'target_norm')
    const targetUnit = op.div(target, op.max(targetNorm, g.float('epsilon', EPSILON)))
    const hasTarget = op.asFloat(op.greater(targetNorm, g.float('epsilon', EPSILON)), 'has_target')
    const targetScore = op.select(hasTarget, op.matmul(targetUnit, unitT), g.float('no_match', NO_MATCH))
    const targetScoreFlat = op.reshape(targetScore, [CELLS])
    score = op.max(score, targetScoreFlat, 'positive_or_target_score')
    // A location-free prototype: every cell that matches it above the tightest threshold is a seed.
    const targetSeeds = op.mul(hasTarget, op.asFloat(op.greater(targetScoreFlat, g.float('target_seed_threshold', MASK_THRESHOLDS[0]))))
    seeds = op.max(seeds, op.reshape(targetSeeds, [CELLS]), 'seeds_with_target')
  }

  // Negative points subtract a Gaussian bump around themselves (distances in model pixels).
  const pointX = op.unsqueeze(op.add(op.gather(coords, g.int64('x_index', 0), 1), half), [1])
  const pointY = op.unsqueeze(op.add(op.gather(coords, g.int64('y_index', 1), 1), half), [1])
  const dx = op.sub(g.initializer('cell_centre_x', 'float32', [1, CELLS], cellCentres('x')), pointX)
  const dy = op.sub(g.initializer('cell_centre_y', 'float32', [1, CELLS], cellCentres('y')), pointY)
  const distance2 = op.add(op.mul(dx, dx), op.mul(dy, dy), 'negative_distance2')
  const bump = op.mul(op.exp(op.mul(distance2, g.float('negative_gain', -1 / (2 * NEGATIVE_RADIUS * NEGATIVE_RADIUS)))), op.unsqueeze(negative, [1]))
  score = op.sub(score, op.mul(op.reduceMax(bump, [0], false), g.float('negative_weight', NEGATIVE_WEIGHT)), 'score_after_negatives')

  if (attnSim) {
    const guidance = op.sub(op.reshape(attnSim, [CELLS]), half)
    score = op.add(score, op.mul(guidance, g.float('attn_sim_weight', ATTN_SIM_WEIGHT)), 'score_after_attn_sim')
  }

  // Connectivity: per mask, the cells above its threshold reachable from a prototype's cell.
  const score64 = op.reshape(score, [1, 1, GRID, GRID], 'score_grid')
  const thresholds = g.float('mask_thresholds', [...MASK_THRESHOLDS], [1, MASKS, 1, 1])
  const region = op.asFloat(op.greater(score64, thresholds), 'mask_regions')
  let reach = op.mul(op.reshape(seeds, [1, 1, GRID, GRID]), region, 'reach_0')
  for (let step = 1; step <= CONNECTIVITY_STEPS; step++) reach = op.mul(op.maxPool3x3(reach), region, `reach_${step}`)
  // Grown by one cell, so the penalty's bilinear ramp falls on cells already below the threshold
  // and the mask's edge stays where the score puts it.
  const unreached = op.sub(g.float('one', 1), op.maxPool3x3(reach, 'reach_grown'), 'unreached')

  // Low-res logits: bilinear x4, one threshold per mask, unreached cells pushed down.
  const lowResSize = g.int64('low_res_size', [1, 1, LOW_RES, LOW_RES])
  const score256 = op.resizeBilinear(score64, lowResSize, 'score_low_res')
  const unreached256 = op.resizeBilinear(unreached, g.int64('low_res_masks_size', [1, MASKS, LOW_RES, LOW_RES]), 'unreached_low_res')
  let logits = op.mul(op.sub(score256, thresholds), g.float('logit_scale', LOGIT_SCALE), 'threshold_logits')
  logits = op.sub(logits, op.mul(unreached256, g.float('connectivity_penalty', CONNECTIVITY_PENALTY)), 'connected_logits')

  // Box: low-res pixels whose centre (4u+2 in model pixels) is outside the grown box lose BOX_PENALTY.
  const lowResCentres = Float32Array.from({ length: LOW_RES }, (_, u) => (CANVAS / LOW_RES) * u + CANVAS / LOW_RES / 2)
  const centresLine = g.initializer('low_res_centres', 'float32', [LOW_RES], lowResCentres)
  const tolerance = g.float('box_tolerance', BOX_TOLERANCE)
  const inside = (corner0: string, corner1: string, index: number, name: string) => {
    const lo = op.sub(op.add(op.gather(corner0, g.int64('corner_axis', index), 1), half), tolerance)
    const hi = op.add(op.add(op.gather(corner1, g.int64('corner_axis', index), 1), half), tolerance)
    return op.asFloat(op.and(op.greaterOrEqual(centresLine, lo), op.lessOrEqual(centresLine, hi)), name)
  }
  const insideX = op.unsqueeze(inside(boxTopLeft, boxBottomRight, 0, 'inside_box_x'), [0])
  const insideY = op.unsqueeze(inside(boxTopLeft, boxBottomRight, 1, 'inside_box_y'), [1])
  const outside = op.mul(hasBox, op.sub(g.float('one', 1), op.mul(insideY, insideX)), 'outside_box')
  logits = op.sub(logits, op.mul(outside, g.float('box_penalty', BOX_PENALTY)), 'logits_in_box')
  logits = op.add(logits, op.mul(hasMaskInput, op.clip(maskInput, -MASK_INPUT_CLIP, MASK_INPUT_CLIP)), 'logits_with_mask_input')

  // iou_predictions: SAM's stability score of each mask (0 for an empty mask).
  const offset = STABILITY_OFFSET
  const areaAbove = (threshold: number, name: string) => op.reduceSum(op.asFloat(op.greater(logits, g.float('stability_threshold', threshold))), [2, 3], false, name)
  const stability = op.div(areaAbove(offset, 'area_strict'), op.max(areaAbove(-offset, 'area_loose'), g.float('one', 1)), 'stability')

  // masks: the official post-processing (upsample to 1024, crop the padding, resize to orig_im_size).
  const upsampled = op.resizeBilinear(logits, g.int64('canvas_size', [1, MASKS, CANVAS, CANVAS]), 'masks_canvas')
  const longest = op.reduceMax(origImSize, [0], true, 'longest_side')
  const prepadded = op.floor(op.add(op.mul(op.div(g.float('canvas', CANVAS), longest), origImSize), half), 'prepadded_size')
  const cropped = op.slice(upsampled, g.int64('crop_starts', [0, 0]), op.cast(prepadded, 'int64'), g.int64('crop_axes', [2, 3]), 'masks_cropped')
  const outputSize = op.concat([g.int64('batch_and_masks', [1, MASKS]), op.cast(origImSize, 'int64')], 0, 'masks_size')
  const masks = op.resizeBilinear(cropped, outputSize, 'masks_original')
  // The official export's output order.
  g.output('masks', masks, 'float32', [1, MASKS, 'orig_height', 'orig_width'])
  g.output('iou_predictions', stability, 'float32', [1, MASKS])
  g.output('low_res_masks', logits, 'float32', [1, MASKS, LOW_RES, LOW_RES])
  return g
}
