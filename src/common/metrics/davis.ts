/**
 * The DAVIS video segmentation measures as the DAVIS 2017 toolkit computes them
 * (docs/video-tracking.md, "Measures"):
 *  - J, region similarity: IoU of prediction and ground truth; two empty masks score 1.
 *  - F, contour accuracy: boundary maps by the seg2bmap rule, each dilated by a disk of radius
 *    ceil(0.008 * image diagonal); precision = share of predicted boundary pixels within that
 *    distance of the true boundary, recall the other way round; F = their harmonic mean. Both
 *    boundaries empty: 1; only one empty: 0.
 *  - J&F: the mean of the two.
 */
import { assertSameSize, type BinaryMask } from '../mask'

/** The toolkit's boundary tolerance, as a fraction of the image diagonal. */
export const DAVIS_BOUNDARY_THRESHOLD = 0.008

export function regionSimilarity(groundTruth: BinaryMask, prediction: BinaryMask): number {
  assertSameSize(groundTruth, prediction, 'region similarity (J)')
  let intersection = 0
  let union = 0
  const a = groundTruth.data
  const b = prediction.data
  for (let i = 0; i < a.length; i++) {
    intersection += a[i]! & b[i]!
    union += a[i]! | b[i]!
  }
  return union === 0 ? 1 : intersection / union
}

/**
 * seg2bmap: a pixel is boundary when it differs from its right, lower or lower-right neighbour.
 * Neighbours outside the image are not compared: on the last row only the right neighbour counts,
 * on the last column only the lower one, the bottom-right pixel is never boundary, and so the
 * image border itself is no boundary (a mask filling the image has none).
 */
export function boundaryMap(mask: BinaryMask): BinaryMask {
  const { width, height, data } = mask
  const out = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) {
    const row = y * width
    const lastRow = y === height - 1
    for (let x = 0; x < width; x++) {
      const v = data[row + x]! ? 1 : 0
      const lastCol = x === width - 1
      const east = lastCol ? 0 : data[row + x + 1]! ? 1 : 0
      const south = lastRow ? 0 : data[row + width + x]! ? 1 : 0
      const southEast = lastRow || lastCol ? 0 : data[row + width + x + 1]! ? 1 : 0
      let edge: number
      if (lastRow && lastCol) edge = 0
      else if (lastRow) edge = v ^ east
      else if (lastCol) edge = v ^ south
      else edge = (v ^ east) | (v ^ south) | (v ^ southEast)
      out[row + x] = edge
    }
  }
  return { width, height, data: out }
}

/** Pixel tolerance for an image: the threshold itself when >= 1, else ceil(threshold * diagonal). */
export function boundaryTolerance(width: number, height: number, threshold = DAVIS_BOUNDARY_THRESHOLD): number {
  return threshold >= 1 ? threshold : Math.ceil(threshold * Math.hypot(width, height))
}

/** Per row offset dy in [-r, r], the half width of the disk (x^2 + y^2 <= r^2, as skimage's disk). */
function diskHalfWidths(radius: number): Int32Array {
  const half = new Int32Array(2 * radius + 1)
  for (let dy = -radius; dy <= radius; dy++) half[dy + radius] = Math.floor(Math.sqrt(radius * radius - dy * dy) + 1e-9)
  return half
}

/** Dilation of a boundary map by a disk, painting one span per disk row around every set pixel. */
export function dilateByDisk(mask: BinaryMask, radius: number): BinaryMask {
  const { width, height, data } = mask
  const out = new Uint8Array(width * height)
  const half = diskHalfWidths(radius)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!data[y * width + x]) continue
      for (let dy = -radius; dy <= radius; dy++) {
        const yy = y + dy
        if (yy < 0 || yy >= height) continue
        const h = half[dy + radius]!
        out.fill(1, yy * width + Math.max(0, x - h), yy * width + Math.min(width - 1, x + h) + 1)
      }
    }
  }
  return { width, height, data: out }
}

export interface BoundaryScore {
  readonly precision: number
  readonly recall: number
  readonly f: number
}

export function boundaryScore(groundTruth: BinaryMask, prediction: BinaryMask, threshold = DAVIS_BOUNDARY_THRESHOLD): BoundaryScore {
  assertSameSize(groundTruth, prediction, 'boundary F-measure (F)')
  const radius = boundaryTolerance(groundTruth.width, groundTruth.height, threshold)
  const predicted = boundaryMap(prediction)
  const truth = boundaryMap(groundTruth)
  let predictedCount = 0
  let truthCount = 0
  for (let i = 0; i < predicted.data.length; i++) {
    predictedCount += predicted.data[i]!
    truthCount += truth.data[i]!
  }
  let precision: number
  let recall: number
  if (predictedCount === 0 || truthCount === 0) {
    // The toolkit's cases: nothing on one side gives precision 1 / recall 0 (or the reverse), so F = 0; nothing on both gives 1.
    precision = predictedCount === 0 ? 1 : 0
    recall = truthCount === 0 ? 1 : 0
  } else {
    const predictedDilated = dilateByDisk(predicted, radius)
    const truthDilated = dilateByDisk(truth, radius)
    let predictedMatched = 0
    let truthMatched = 0
    for (let i = 0; i < predicted.data.length; i++) {
      predictedMatched += predicted.data[i]! & truthDilated.data[i]!
      truthMatched += truth.data[i]! & predictedDilated.data[i]!
    }
    precision = predictedMatched / predictedCount
    recall = truthMatched / truthCount
  }
  const f = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return { precision, recall, f }
}

export function contourAccuracy(groundTruth: BinaryMask, prediction: BinaryMask, threshold = DAVIS_BOUNDARY_THRESHOLD): number {
  return boundaryScore(groundTruth, prediction, threshold).f
}

export interface FrameScore {
  readonly j: number
  readonly f: number
  readonly jf: number
}

export function frameScore(groundTruth: BinaryMask, prediction: BinaryMask): FrameScore {
  const j = regionSimilarity(groundTruth, prediction)
  const f = contourAccuracy(groundTruth, prediction)
  return { j, f, jf: (j + f) / 2 }
}

/**
 * Mean J, F and J&F of one object over a sequence's frames. The toolkit leaves out the first
 * frame (the given reference) and the last one; `skipEnds` does the same.
 */
export function sequenceScore(groundTruth: readonly BinaryMask[], predictions: readonly BinaryMask[], skipEnds = true): FrameScore {
  if (groundTruth.length !== predictions.length) throw new RangeError(`sequence score: ${groundTruth.length} ground-truth frames but ${predictions.length} predictions`)
  const from = skipEnds && groundTruth.length > 2 ? 1 : 0
  const to = skipEnds && groundTruth.length > 2 ? groundTruth.length - 1 : groundTruth.length
  let j = 0
  let f = 0
  for (let i = from; i < to; i++) {
    const score = frameScore(groundTruth[i]!, predictions[i]!)
    j += score.j
    f += score.f
  }
  const count = Math.max(1, to - from)
  return { j: j / count, f: f / count, jf: (j + f) / (2 * count) }
}
