/**
 * Every constant of the toy SAM model, in one place: the generator builds the ONNX graphs from
 * these and resources/models/toy-sam/README.md documents them. Changing one changes the committed
 * model bytes (a test regenerates and compares them).
 */

/** SAM's pixel normalisation (0–255 scale), undone by the toy encoder to recover cell colours. */
export const PIXEL_MEAN = [123.675, 116.28, 103.53] as const
export const PIXEL_STD = [58.395, 57.12, 57.375] as const

export const CANVAS = 1024
export const CELL = 16
export const GRID = 64
export const FEATURES = 256
export const LOW_RES = 256

/** Colour codebook width: the RBF feature k of colour c is exp(-|c - centre_k|^2 / (2 sigma^2)). */
export const COLOUR_SIGMA = 32

/** Mask thresholds on the similarity score, index 0 (single-mask) to 3 (widest multimask). */
export const MASK_THRESHOLDS = [0.85, 0.75, 0.5, 0.25] as const
/** Logit = LOGIT_SCALE * (score - threshold). */
export const LOGIT_SCALE = 20
/** Score placed on points that do not count (a score no cosine can reach). */
export const NO_MATCH = -2
/** Each negative point subtracts NEGATIVE_WEIGHT * exp(-d^2 / (2 NEGATIVE_RADIUS^2)), d in model pixels. */
export const NEGATIVE_WEIGHT = 1
export const NEGATIVE_RADIUS = 64
/** Low-res pixels whose centre lies outside the box (grown by BOX_TOLERANCE model pixels) lose BOX_PENALTY logits. */
export const BOX_PENALTY = 40
export const BOX_TOLERANCE = 2
/** mask_input is clipped to +-MASK_INPUT_CLIP logits before it is added. */
export const MASK_INPUT_CLIP = 4
/** iou_prediction = area(logit > STABILITY_OFFSET) / max(1, area(logit > -STABILITY_OFFSET)). */
export const STABILITY_OFFSET = 1
/**
 * Connectivity: mask k keeps only the cells above its threshold that are 8-connected (within
 * CONNECTIVITY_STEPS cell steps) to a positive prototype's cell; cells farther than one cell from
 * that connected region lose CONNECTIVITY_PENALTY logits. Like real SAM, a click segments the object under it, not every
 * region of the same colour elsewhere in the image.
 */
export const CONNECTIVITY_STEPS = 64
export const CONNECTIVITY_PENALTY = 40
/** PerSAM decoder: score += ATTN_SIM_WEIGHT * (attn_sim - 0.5). */
export const ATTN_SIM_WEIGHT = 0.5
/** Norms below this count as zero (an all-zero target_embedding switches the target prototype off). */
export const EPSILON = 1e-6

/** Radical inverse of `index` in `base` (the Halton sequence): deterministic, no PRNG, no transcendental functions. */
export function halton(index: number, base: number): number {
  let fraction = 1
  let result = 0
  for (let i = index; i > 0; i = Math.floor(i / base)) {
    fraction /= base
    result += fraction * (i % base)
  }
  return result
}

/** The FEATURES colour centres (R,G,B on the 0–255 scale): Halton points in bases 2, 3 and 5, k = 1..256. */
export function colourCentres(): Float32Array {
  const centres = new Float32Array(FEATURES * 3)
  for (let k = 0; k < FEATURES; k++) {
    centres[k * 3] = 255 * halton(k + 1, 2)
    centres[k * 3 + 1] = 255 * halton(k + 1, 3)
    centres[k * 3 + 2] = 255 * halton(k + 1, 5)
  }
  return centres
}
