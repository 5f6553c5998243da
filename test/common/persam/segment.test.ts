/**
 * The per-image cascade with a scripted decoder (no model): what is sent at each step, and the
 * reference's failure cases (empty masks) handled.
 */
import { describe, expect, it } from 'vitest'
import { combineConfidence, DEFAULT_CONFIDENCE_MODEL } from '../../../src/common/persam/confidence'
import { segmentImage } from '../../../src/common/persam/segment'
import type { PreparedTarget } from '../../../src/common/persam/target'
import { resultForRequest, type DecodeRequest, type ImageEmbedding, type MaskPayload, type SamDecoderPort } from '../../../src/common/sam/port'
import { fuseMultimask, maskExtents } from '../../../src/common/sam/postprocess'

const SIZE = 64
/** Embedding whose cells all share one feature direction except a bright 8x8 block at rows/cols 20..27. */
function embedding(): ImageEmbedding {
  const data = new Float32Array(256 * 4096)
  for (let cell = 0; cell < 4096; cell++) {
    const r = Math.floor(cell / 64)
    const c = cell % 64
    const target = r >= 20 && r < 28 && c >= 20 && c < 28
    data[(target ? 0 : 1) * 4096 + cell] = 1
  }
  return { modelId: 'fake', imageKey: 'k', data, geometry: { originalWidth: SIZE, originalHeight: SIZE, resizedWidth: 1024, resizedHeight: 1024 } }
}

function target(method: 'persam' | 'persam-f'): PreparedTarget {
  const unit = new Float32Array(256)
  unit[0] = 1
  return {
    method,
    locationFeatures: [unit],
    targetEmbedding: unit,
    maskFeature: unit,
    fusion: method === 'persam-f' ? { weights: [0, 0, 1], initialLoss: 1, finalLoss: 0.1, iterations: 1 } : null,
    referencePeak: 1,
    fallbackReferences: 0,
  }
}

/** A decoder that returns `logit` everywhere inside `square` and -10 elsewhere, and records requests. */
function scripted(square: { x0: number; y0: number; x1: number; y1: number } | null, persamInputs = true) {
  const requests: DecodeRequest[] = []
  const decoder: SamDecoderPort = {
    capabilities: { maskCount: 4, persamInputs },
    async decode(request) {
      requests.push(request)
      const plane = SIZE * SIZE
      const masks = new Float32Array(4 * plane).fill(-10)
      if (square) {
        for (let k = 0; k < 4; k++) {
          for (let y = square.y0; y < square.y1; y++) for (let x = square.x0; x < square.x1; x++) masks[k * plane + y * SIZE + x] = 10
        }
      }
      const output = request.maskOutput ?? 'logits'
      if (output === 'rle') throw new Error('the scripted decoder does not encode RLE')
      const payload: MaskPayload =
        output === 'logits' ? { maskOutput: 'logits', masks } : output === 'binary' ? { maskOutput: 'binary', binaryMasks: Uint8Array.from(masks, (v) => (v > 0 ? 1 : 0)) } : { maskOutput: 'none' }
      return resultForRequest(request, {
        ...payload,
        maskCount: 4,
        extents: maskExtents(masks, 4, SIZE, SIZE),
        outputSize: { width: SIZE, height: SIZE },
        iouPredictions: Float32Array.of(0.5, 0.6, 0.9, 0.7),
        lowResLogits: new Float32Array(4 * 65536),
        fullSizeMasks: [],
        fused: request.fusionWeights ? fuseMultimask(request.fusionWeights, masks, new Float32Array(4 * 65536), SIZE, SIZE) : null,
      })
    },
  }
  return { decoder, requests }
}

describe('segmentImage cascade', () => {
  it('PerSAM: guided first call with [pos, neg], then mask input, then box + mask input', async () => {
    const { decoder, requests } = scripted({ x0: 20, y0: 20, x1: 28, y1: 28 })
    const result = await segmentImage(target('persam'), embedding(), decoder, { candidates: 1 })
    expect(requests).toHaveLength(3)
    const [first, second, third] = requests
    expect(first!.points.map((p) => p.label)).toEqual([1, 0])
    expect(first!.attnSim).toBeInstanceOf(Float32Array)
    expect(first!.targetEmbedding).toBeInstanceOf(Float32Array)
    expect(second!.attnSim).toBeNull()
    expect(second!.maskInput).toBeInstanceOf(Float32Array)
    expect(second!.box).toBeNull()
    // Only the last step brings masks back from the worker; the others need extents alone.
    expect(requests.map((r) => r.maskOutput)).toEqual(['none', 'none', 'binary'])
    // The box is the tight, inclusive box of step 2's mask, in image pixels.
    expect(third!.box).toEqual({ x0: 20, y0: 20, x1: 27, y1: 27 })
    // The positive point sits on the target block (pixels 20..27), the negative outside it.
    const [positive, negative] = first!.points
    expect(positive!.x).toBeGreaterThanOrEqual(20)
    expect(positive!.x).toBeLessThan(28)
    expect(negative!.x < 20 || negative!.x >= 28 || negative!.y < 20 || negative!.y >= 28).toBe(true)
    expect(result.firstCall).toBe('persam-decoder')
    expect(result.instances).toHaveLength(1)
    expect(result.instances[0]!.chosenMask).toBe(2)
    expect(result.instances[0]!.signals.featureSimilarity).toBeCloseTo(1, 5)
  })

  it('carries the extra proposal signals: shape of the mask, stability, area against the reference', async () => {
    const { decoder } = scripted({ x0: 0, y0: 20, x1: 8, y1: 28 })
    const prepared = { ...target('persam'), referenceAreaFraction: 32 / (SIZE * SIZE) }
    const result = await segmentImage(prepared, embedding(), decoder, { candidates: 1, absentThreshold: 0 })
    const signals = result.instances[0]!.signals
    expect(signals.areaFraction).toBeCloseTo(64 / (SIZE * SIZE), 10)
    expect(signals.areaRatio).toBeCloseTo(2, 10)
    expect(signals.components).toBe(1)
    // The square touches the left border along 8 of its 252 pixels.
    expect(signals.borderContact).toBeCloseTo(8 / 252, 10)
    // The scripted low-res logits are all 0: in the loose mask, never in the strict one.
    expect(signals.stability).toBe(0)
    expect(signals.candidateRank).toBe(0)
    expect(signals.peakValue).toBeCloseTo(signals.peak, 10)
  })

  it('PerSAM on a decoder without the PerSAM inputs runs the standard decoder first and says so', async () => {
    const { decoder, requests } = scripted({ x0: 20, y0: 20, x1: 28, y1: 28 }, false)
    const result = await segmentImage(target('persam'), embedding(), decoder, { candidates: 1 })
    expect(requests[0]!.attnSim).toBeNull()
    expect(result.firstCall).toBe('standard')
  })

  it('PerSAM-F: positive point only, fused first mask boxes the second call', async () => {
    const { decoder, requests } = scripted({ x0: 20, y0: 20, x1: 28, y1: 28 })
    await segmentImage(target('persam-f'), embedding(), decoder, { candidates: 1 })
    expect(requests[0]!.points.map((p) => p.label)).toEqual([1])
    expect(requests[0]!.targetEmbedding).toBeNull()
    expect(requests[1]!.box).toEqual({ x0: 20, y0: 20, x1: 27, y1: 27 })
    // The fusion happens where the logits are: no full-size planes are asked for.
    expect(requests[0]!.fusionWeights).toEqual([0, 0, 1])
    expect(requests.map((r) => r.maskOutput)).toEqual(['none', 'none', 'binary'])
  })

  it('survives empty masks (the reference crashes on them): no box, no proposal, absent', async () => {
    for (const method of ['persam', 'persam-f'] as const) {
      const { decoder, requests } = scripted(null)
      const result = await segmentImage(target(method), embedding(), decoder, { candidates: 2 })
      expect(result.absent).toBe(true)
      expect(result.instances).toEqual([])
      expect(result.bestConfidence).toBe(0)
      // Two candidates, each stopping after step 2 because an empty mask has no box, and the
      // second starting somewhere else than the first.
      expect(requests).toHaveLength(4)
      expect(requests[2]!.points[0]).not.toEqual(requests[0]!.points[0])
    }
  })

  it('keeps a proposal below the absent threshold out, but reports its confidence', async () => {
    const { decoder } = scripted({ x0: 20, y0: 20, x1: 28, y1: 28 })
    const result = await segmentImage(target('persam'), embedding(), decoder, { candidates: 1, absentThreshold: 0.999 })
    expect(result.absent).toBe(true)
    expect(result.bestConfidence).toBeGreaterThan(0.5)
    expect(result.bestConfidence).toBeLessThan(0.999)
  })

  it('without a threshold keeps the weak proposal and never calls the image absent', async () => {
    const { decoder } = scripted({ x0: 20, y0: 20, x1: 28, y1: 28 })
    const result = await segmentImage(target('persam'), embedding(), decoder, { candidates: 1, absentThreshold: null })
    expect(result.absent).toBe(false)
    expect(result.instances).toHaveLength(1)
    const empty = await segmentImage(target('persam'), embedding(), scripted(null).decoder, { candidates: 2, absentThreshold: null })
    expect(empty).toMatchObject({ absent: false, instances: [] })
  })

  it('counts kept masks in maxInstances and never proposes their pixels again', async () => {
    const { decoder, requests } = scripted({ x0: 20, y0: 20, x1: 28, y1: 28 })
    const kept = { width: SIZE, height: SIZE, data: new Uint8Array(SIZE * SIZE) }
    for (let y = 20; y < 28; y++) kept.data.fill(1, y * SIZE + 20, y * SIZE + 28)
    const full = await segmentImage(target('persam'), embedding(), decoder, { maxInstances: 1, keptMasks: [kept] })
    // The image holds its one instance already: no decoder call, no instance, not absent.
    expect(full).toMatchObject({ instances: [], absent: false })
    expect(requests).toHaveLength(0)
    // Room for one more: the only object found is the kept one, so nothing new is proposed.
    const more = await segmentImage(target('persam'), embedding(), decoder, { maxInstances: 2, keptMasks: [kept], absentThreshold: 0 })
    expect(more).toMatchObject({ instances: [], absent: false })
    expect(requests.length).toBeGreaterThan(0)
  })

  it('refuses nonsensical options', async () => {
    const { decoder } = scripted(null)
    await expect(segmentImage(target('persam'), embedding(), decoder, { candidates: 0 })).rejects.toThrow(/at least 1/)
  })
})

describe('confidence', () => {
  it('maps each signal onto its ramp and mixes them by weight', () => {
    expect(combineConfidence({ peak: 1, predictedIou: 1, featureSimilarity: 1 })).toBe(1)
    expect(combineConfidence({ peak: 0, predictedIou: 0, featureSimilarity: 0 })).toBe(0)
    const { peak, predictedIou, featureSimilarity } = DEFAULT_CONFIDENCE_MODEL
    const total = peak.weight + predictedIou.weight + featureSimilarity.weight
    const halfway = (featureSimilarity.from + featureSimilarity.to) / 2
    expect(combineConfidence({ peak: 1, predictedIou: 1, featureSimilarity: halfway })).toBeCloseTo(1 - (0.5 * featureSimilarity.weight) / total, 12)
    expect(combineConfidence({ peak: Number.NaN, predictedIou: 1, featureSimilarity: 1 })).toBeCloseTo(1 - peak.weight / total, 12)
  })
})
