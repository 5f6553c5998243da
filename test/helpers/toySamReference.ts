/**
 * A plain TypeScript implementation of the toy SAM model exactly as
 * resources/models/toy-sam/README.md documents it, to check the ONNX graphs against.
 */
import { resizeBilinear } from '../../src/common/sam/postprocess'
import {
  ATTN_SIM_WEIGHT,
  BOX_PENALTY,
  BOX_TOLERANCE,
  COLOUR_SIGMA,
  CONNECTIVITY_PENALTY,
  CONNECTIVITY_STEPS,
  EPSILON,
  LOGIT_SCALE,
  MASK_INPUT_CLIP,
  MASK_THRESHOLDS,
  NEGATIVE_RADIUS,
  NEGATIVE_WEIGHT,
  NO_MATCH,
  PIXEL_MEAN,
  PIXEL_STD,
  STABILITY_OFFSET,
  colourCentres,
} from '../../scripts/toy-sam/parameters'

const PLANE = 1024 * 1024
const CELLS = 4096

export function referenceEmbedding(canvas: Float32Array): Float32Array {
  const centres = colourCentres()
  const out = new Float32Array(256 * CELLS)
  for (let row = 0; row < 64; row++) {
    for (let col = 0; col < 64; col++) {
      const colour = [0, 1, 2].map((c) => {
        let sum = 0
        for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) sum += canvas[c * PLANE + (row * 16 + y) * 1024 + col * 16 + x]!
        return (sum / 256) * PIXEL_STD[c]! + PIXEL_MEAN[c]!
      })
      for (let k = 0; k < 256; k++) {
        const d2 = (colour[0]! - centres[k * 3]!) ** 2 + (colour[1]! - centres[k * 3 + 1]!) ** 2 + (colour[2]! - centres[k * 3 + 2]!) ** 2
        out[k * CELLS + row * 64 + col] = Math.exp(-d2 / (2 * COLOUR_SIGMA ** 2))
      }
    }
  }
  return out
}

export interface ReferencePrompt {
  readonly coords: Float32Array
  readonly labels: Float32Array
  readonly maskInput?: Float32Array | null
  readonly attnSim?: Float32Array | null
  readonly targetEmbedding?: Float32Array | null
}

function unitFeatures(embedding: Float32Array): Float32Array[] {
  return Array.from({ length: CELLS }, (_, cell) => {
    const f = Float32Array.from({ length: 256 }, (_, k) => embedding[k * CELLS + cell]!)
    const norm = Math.max(Math.hypot(...f), EPSILON)
    return f.map((v) => v / norm)
  })
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, v, i) => sum + v * b[i]!, 0)
const cellOf = (v: number) => Math.min(63, Math.max(0, Math.floor((v + 0.5) / 16)))

/** low_res_masks [4*256*256] and iou_predictions [4] of the documented math. */
export function referenceDecode(embedding: Float32Array, prompt: ReferencePrompt): { lowRes: Float32Array; iou: Float32Array } {
  const unit = unitFeatures(embedding)
  const n = prompt.labels.length
  const xy = (i: number) => [prompt.coords[i * 2]!, prompt.coords[i * 2 + 1]!] as const
  const points = Array.from({ length: n }, (_, i) => ({ x: xy(i)[0], y: xy(i)[1], label: prompt.labels[i]! }))
  const tl = points.find((p) => p.label === 2)
  const br = points.find((p) => p.label === 3)
  const prototypes = points.filter((p) => p.label === 1)
  if (tl && br && prototypes.length === 0) prototypes.push({ x: (tl.x + br.x) / 2, y: (tl.y + br.y) / 2, label: 1 })
  const target = prompt.targetEmbedding && Math.hypot(...prompt.targetEmbedding) > EPSILON ? prompt.targetEmbedding.map((v) => v / Math.hypot(...prompt.targetEmbedding!)) : null

  const score = new Float32Array(CELLS)
  for (let cell = 0; cell < CELLS; cell++) {
    let positive = NO_MATCH
    for (const p of prototypes) positive = Math.max(positive, dot(unit[cellOf(p.y) * 64 + cellOf(p.x)]!, unit[cell]!))
    if (target) positive = Math.max(positive, dot(target, unit[cell]!))
    const cx = (cell % 64) * 16 + 8
    const cy = Math.floor(cell / 64) * 16 + 8
    let penalty = 0
    for (const q of points.filter((p) => p.label === 0)) penalty = Math.max(penalty, Math.exp(-((cx - q.x - 0.5) ** 2 + (cy - q.y - 0.5) ** 2) / (2 * NEGATIVE_RADIUS ** 2)))
    score[cell] = positive - NEGATIVE_WEIGHT * penalty + (prompt.attnSim ? ATTN_SIM_WEIGHT * (prompt.attnSim[cell]! - 0.5) : 0)
  }
  const score256 = resizeBilinear(score, { width: 64, height: 64 }, { width: 256, height: 256 })
  const seeds = new Set(prototypes.map((p) => cellOf(p.y) * 64 + cellOf(p.x)))
  if (target) for (let cell = 0; cell < CELLS; cell++) if (dot(target, unit[cell]!) > MASK_THRESHOLDS[0]!) seeds.add(cell)
  const lowRes = new Float32Array(4 * 65536)
  const iou = new Float32Array(4)
  for (let k = 0; k < 4; k++) {
    // 8-connected flood fill from the prototype cells through cells above the threshold.
    const region = score.map((v) => (v > MASK_THRESHOLDS[k]! ? 1 : 0))
    let reach = Float32Array.from({ length: CELLS }, (_, cell) => (seeds.has(cell) ? region[cell]! : 0))
    for (let step = 0; step < CONNECTIVITY_STEPS; step++) {
      const next = new Float32Array(CELLS)
      for (let cell = 0; cell < CELLS; cell++) {
        if (!region[cell]) continue
        const r = Math.floor(cell / 64)
        const c = cell % 64
        for (let dr = -1; dr <= 1 && !next[cell]; dr++) {
          for (let dc = -1; dc <= 1; dc++) {
            const rr = r + dr
            const cc = c + dc
            if (rr >= 0 && rr < 64 && cc >= 0 && cc < 64 && reach[rr * 64 + cc]) {
              next[cell] = 1
              break
            }
          }
        }
      }
      reach = next
    }
    const grown = reach.map((_, cell) => {
      const r = Math.floor(cell / 64)
      const c = cell % 64
      for (let dr = -1; dr <= 1; dr++) for (let dc = -1; dc <= 1; dc++) if (r + dr >= 0 && r + dr < 64 && c + dc >= 0 && c + dc < 64 && reach[(r + dr) * 64 + c + dc]) return 1
      return 0
    })
    const unreached256 = resizeBilinear(grown.map((v) => 1 - v), { width: 64, height: 64 }, { width: 256, height: 256 })
    let strict = 0
    let loose = 0
    for (let v = 0; v < 256; v++) {
      for (let u = 0; u < 256; u++) {
        let logit = LOGIT_SCALE * (score256[v * 256 + u]! - MASK_THRESHOLDS[k]!) - CONNECTIVITY_PENALTY * unreached256[v * 256 + u]!
        if (tl && br) {
          const inside = (c: number, lo: number, hi: number) => c >= lo + 0.5 - BOX_TOLERANCE && c <= hi + 0.5 + BOX_TOLERANCE
          if (!(inside(4 * u + 2, tl.x, br.x) && inside(4 * v + 2, tl.y, br.y))) logit -= BOX_PENALTY
        }
        if (prompt.maskInput) logit += Math.min(MASK_INPUT_CLIP, Math.max(-MASK_INPUT_CLIP, prompt.maskInput[v * 256 + u]!))
        lowRes[k * 65536 + v * 256 + u] = logit
        if (logit > STABILITY_OFFSET) strict++
        if (logit > -STABILITY_OFFSET) loose++
      }
    }
    iou[k] = strict / Math.max(1, loose)
  }
  return { lowRes, iou }
}
