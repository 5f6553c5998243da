/**
 * One frame of PerSAM's video procedure for one object (docs/video-tracking.md, "Per frame"):
 * the target's location map gives the top positive points near where the object was, the
 * previous frame's box (expanded by a margin) and its centre are added as prompts, and the cascade
 * refines the mask twice. Returns the mask with the same confidence the image engine computes.
 */
import type { BinaryMask } from '../mask'
import { lowResPlane, type DecodeResult, type ImageEmbedding, type MaskExtent, type SamDecoderPort } from '../sam/port'
import type { PromptBox, PromptPoint } from '../sam/prompts'
import { combineConfidence, maskFeatureSimilarity, type ConfidenceModel, type ConfidenceSignals } from './confidence'
import { cellNorms, maxGrid, similarityGrid } from './features'
import { LocationMap, type MapPoint } from './locationMap'
import { SAM_FEATURES, SAM_GRID } from '../sam/geometry'
import type { PreparedTarget } from './target'

export interface TrackStepOptions {
  /** Positive points taken from the location map (the reference takes 2). */
  readonly topPoints: number
  /** The previous box grows by this share of the frame's longest side on every side (about 10 px at 854x480). */
  readonly boxMargin: number
  /** Peaks are searched within the previous box grown by this share of its own size on every side. */
  readonly searchMargin: number
  readonly confidence?: ConfidenceModel
  readonly outputSize?: { readonly width: number; readonly height: number }
}

export const DEFAULT_TRACK_STEP_OPTIONS: TrackStepOptions = { topPoints: 1, boxMargin: 0.012, searchMargin: 0.5 }

export interface TrackStepResult {
  readonly mask: BinaryMask
  /** The mask's area and tight box in mask pixels, as the decoder reports them (no pass over the mask needed). */
  readonly extent: MaskExtent
  readonly confidence: number
  readonly signals: ConfidenceSignals
  readonly points: readonly PromptPoint[]
  readonly decoderCalls: number
}

/** Side of the coarse grid the peak-search exclusion is drawn on (the map reads it proportionally). */
const EXCLUSION_GRID = 128

export function expandBox(box: PromptBox, margin: number, width: number, height: number): PromptBox {
  return { x0: Math.max(0, box.x0 - margin), y0: Math.max(0, box.y0 - margin), x1: Math.min(width - 1, box.x1 + margin), y1: Math.min(height - 1, box.y1 + margin) }
}

/** The tight box of a mask in image pixels (inclusive corners), or null when it is empty. */
export function maskBoxInImage(mask: BinaryMask, imageWidth: number, imageHeight: number): PromptBox | null {
  return extentBox(maskExtent(mask), mask.width, mask.height, imageWidth, imageHeight)
}

export function maskExtent(mask: BinaryMask): MaskExtent {
  const { width, height, data } = mask
  let x0 = width
  let y0 = height
  let x1 = -1
  let y1 = -1
  let area = 0
  for (let y = 0; y < height; y++) {
    const row = y * width
    for (let x = 0; x < width; x++) {
      if (!data[row + x]) continue
      area++
      if (x < x0) x0 = x
      if (x > x1) x1 = x
      if (y < y0) y0 = y
      y1 = y
    }
  }
  return area === 0 ? { area, x0: 0, y0: 0, x1: 0, y1: 0 } : { area, x0, y0, x1, y1 }
}

export function extentBox(extent: MaskExtent, maskWidth: number, maskHeight: number, imageWidth: number, imageHeight: number): PromptBox | null {
  if (extent.area === 0) return null
  const sx = imageWidth / maskWidth
  const sy = imageHeight / maskHeight
  return { x0: extent.x0 * sx, y0: extent.y0 * sy, x1: extent.x1 * sx, y1: extent.y1 * sy }
}

/** Coarse exclusion: everything outside `window`, plus discs already used by earlier peaks. */
function searchExclusion(window: PromptBox, taken: readonly MapPoint[], radius: number, width: number, height: number): BinaryMask {
  const ew = Math.min(EXCLUSION_GRID, width)
  const eh = Math.min(EXCLUSION_GRID, height)
  const data = new Uint8Array(ew * eh)
  for (let j = 0; j < eh; j++) {
    const y = ((j + 0.5) * height) / eh
    for (let i = 0; i < ew; i++) {
      const x = ((i + 0.5) * width) / ew
      const outside = x < window.x0 || x > window.x1 + 1 || y < window.y0 || y > window.y1 + 1
      data[j * ew + i] = outside || taken.some((p) => Math.hypot(p.x - x, p.y - y) < radius) ? 1 : 0
    }
  }
  return { width: ew, height: eh, data }
}

function bestMultimask(result: DecodeResult): number {
  let best = result.maskCount > 1 ? 1 : 0
  for (let k = best + 1; k < Math.min(4, result.maskCount); k++) if (result.iouPredictions[k]! > result.iouPredictions[best]!) best = k
  return best
}

const CELLS = SAM_GRID * SAM_GRID

/**
 * cellNorms and similarityGrid in one pass over the embedding (the same sums in the same order, so
 * the same values): reading the 4 MB embedding once instead of twice is a fifth of a frame's own work.
 */
function similarityWithNorms(embedding: Float32Array, unitTarget: Float32Array): Float32Array {
  if (embedding.length !== SAM_FEATURES * CELLS) return similarityGrid(embedding, unitTarget)
  const dot = new Float64Array(CELLS)
  const squares = new Float64Array(CELLS)
  for (let c = 0; c < SAM_FEATURES; c++) {
    const t = unitTarget[c]!
    const base = c * CELLS
    for (let i = 0; i < CELLS; i++) {
      const v = embedding[base + i]!
      squares[i]! += v * v
      dot[i]! += t * v
    }
  }
  const out = new Float32Array(CELLS)
  for (let i = 0; i < CELLS; i++) {
    const norm = Math.sqrt(squares[i]!)
    out[i] = norm > 0 ? dot[i]! / norm : 0
  }
  return out
}

/** The location map of a target on one frame (several references: the per-cell maximum). */
export function targetLocationMap(target: PreparedTarget, embedding: ImageEmbedding): LocationMap {
  if (target.locationFeatures.length === 1) return new LocationMap(similarityWithNorms(embedding.data, target.locationFeatures[0]!), embedding.geometry)
  const norms = cellNorms(embedding.data)
  const grids = target.locationFeatures.map((feature) => similarityGrid(embedding.data, feature, norms))
  return new LocationMap(grids.length === 1 ? grids[0]! : maxGrid(grids), embedding.geometry)
}

export async function trackStep(
  target: PreparedTarget,
  embedding: ImageEmbedding,
  decoder: SamDecoderPort,
  previousBox: PromptBox,
  overrides: Partial<TrackStepOptions> = {},
): Promise<TrackStepResult> {
  const options = { ...DEFAULT_TRACK_STEP_OPTIONS, ...overrides }
  const { originalWidth: width, originalHeight: height } = embedding.geometry
  const map = targetLocationMap(target, embedding)
  const boxWidth = previousBox.x1 - previousBox.x0 + 1
  const boxHeight = previousBox.y1 - previousBox.y0 + 1
  const window: PromptBox = {
    x0: previousBox.x0 - options.searchMargin * boxWidth,
    y0: previousBox.y0 - options.searchMargin * boxHeight,
    x1: previousBox.x1 + options.searchMargin * boxWidth,
    y1: previousBox.y1 + options.searchMargin * boxHeight,
  }
  // Later peaks keep a distance of a quarter of the object's size from earlier ones, so the points spread over it.
  const spacing = Math.max(2, 0.25 * Math.min(boxWidth, boxHeight))
  const peaks: MapPoint[] = []
  for (let k = 0; k < options.topPoints; k++) {
    const peak = map.extreme('max', searchExclusion(window, peaks, spacing, width, height))
    if (!peak) break
    peaks.push(peak)
  }
  const points: PromptPoint[] = peaks.map((p) => ({ x: p.x, y: p.y, label: 1 }))
  points.push({ x: (previousBox.x0 + previousBox.x1) / 2, y: (previousBox.y0 + previousBox.y1) / 2, label: 1 })
  const priorBox = expandBox(previousBox, options.boxMargin * Math.max(width, height), width, height)

  let decoderCalls = 0
  const decode = <K extends 'none' | 'binary'>(box: PromptBox | null, maskInput: Float32Array | null, maskOutput: K) => {
    decoderCalls++
    return decoder.decode({ embedding, points, box, maskInput, outputSize: options.outputSize, maskOutput })
  }
  // Step 1: the points and the grown previous box; step 2: the points and step 1's logits, without
  // the box, so a moving object is not held inside where it was; step 3: step 2's logits and the box of its mask.
  const first = await decode(priorBox, null, 'none')
  const firstChoice = bestMultimask(first)
  const second = await decode(null, lowResPlane(first.lowResLogits, firstChoice), 'none')
  const secondChoice = bestMultimask(second)
  const { width: outWidth, height: outHeight } = second.outputSize
  const refineBox = extentBox(second.extents[secondChoice]!, outWidth, outHeight, width, height) ?? priorBox
  const third = await decode(refineBox, lowResPlane(second.lowResLogits, secondChoice), 'binary')
  const choice = bestMultimask(third)
  const plane = outWidth * outHeight
  const mask: BinaryMask = { width: outWidth, height: outHeight, data: third.binaryMasks.slice(choice * plane, (choice + 1) * plane) }
  const extent = third.extents[choice]!
  const area = extent.area
  const best = peaks[0]
  const signals: ConfidenceSignals = {
    peak: best ? (target.referencePeak > 0 ? best.value / target.referencePeak : best.value) : 0,
    predictedIou: area > 0 ? third.iouPredictions[choice]! : 0,
    featureSimilarity: area > 0 ? maskFeatureSimilarity(embedding.data, mask, embedding.geometry, target.maskFeature) : 0,
  }
  return { mask, extent, confidence: area > 0 ? combineConfidence(signals, options.confidence) : 0, signals, points, decoderCalls }
}
