import { describe, expect, it } from 'vitest'
import { referenceBaseline, relativeSignals } from '../../../src/common/persam/referenceBaseline'
import type { ProposalSignals } from '../../../src/common/persam/signals'
import type { PreparedTarget } from '../../../src/common/persam/target'
import type { ImageEmbedding } from '../../../src/common/sam/port'

const SIZE = 64
/** Target cells (rows/cols 20..27) point along channel 0; the background mixes channels 0 and 1 (cosine 0.6 to the target). */
function embedding(): ImageEmbedding {
  const data = new Float32Array(256 * 4096)
  for (let cell = 0; cell < 4096; cell++) {
    const r = Math.floor(cell / 64)
    const c = cell % 64
    const inTarget = r >= 20 && r < 28 && c >= 20 && c < 28
    data[cell] = inTarget ? 1 : 0.6
    data[4096 + cell] = inTarget ? 0 : 0.8
  }
  return { modelId: 'fake', imageKey: 'k', data, geometry: { originalWidth: SIZE, originalHeight: SIZE, resizedWidth: 1024, resizedHeight: 1024 } }
}

const unit = new Float32Array(256)
unit[0] = 1
const target: PreparedTarget = { method: 'persam', locationFeatures: [unit], targetEmbedding: unit, maskFeature: unit, fusion: null, referencePeak: 1, fallbackReferences: 0 }

describe('reference baseline', () => {
  it('measures the background level of the location map and of the mask feature on the reference', () => {
    const mask = { width: SIZE, height: SIZE, data: new Uint8Array(SIZE * SIZE) }
    // Pixels 20..27 cover grid cells 20..27 (64 px image on a 1024 canvas: one pixel per cell).
    for (let y = 20; y < 28; y++) mask.data.fill(1, y * SIZE + 20, y * SIZE + 28)
    const baseline = referenceBaseline(target, embedding(), mask)
    expect(baseline.peakBackground).toBeCloseTo(0.6, 5)
    expect(baseline.featureBackground).toBeCloseTo(0.6, 5)
    expect(baseline.peakTop).toBe(1)
  })

  it('places signals between the background (0) and the reference (1)', () => {
    const signals = { peakValue: 0.8, featureSimilarity: 0.9 } as ProposalSignals
    const relative = relativeSignals(signals, { peakBackground: 0.6, peakTop: 1, featureBackground: 0.5 })
    expect(relative.peakRelative).toBeCloseTo(0.5, 10)
    expect(relative.featureRelative).toBeCloseTo(0.8, 10)
  })
})
