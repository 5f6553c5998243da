/**
 * Sequence tracking against per-frame propagation with the real toy model on seeded synthetic
 * sequences (30 frames of 192x144: the target turns, scales, passes behind a post, leaves the frame
 * and comes back, with a look-alike and part-coloured blobs around). Both start from frame 0's
 * true mask; per-frame propagation runs the image engine on every frame from that one reference.
 * Measured (J tracking / per-frame): seed 1 0.940 / 0.888, seed 2 0.876 / 0.683, seed 3
 * 0.858 / 0.821; means 0.891 / 0.797. The floors sit 0.06 below what tracking reaches, the
 * required lead well below the one measured.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BinaryMask } from '../../../../src/common/mask'
import { sequenceScore, type FrameScore } from '../../../../src/common/metrics/davis'
import { segmentImage } from '../../../../src/common/persam/segment'
import { prepareTarget } from '../../../../src/common/persam/target'
import { SequenceTracker } from '../../../../src/common/persam/trackSequence'
import type { TrackState } from '../../../../src/common/persam/trackSpan'
import type { ImageEmbedding } from '../../../../src/common/sam/port'
import { generateSequence } from '../../../../src/common/synthetic/sequence'
import { SamRuntime } from '../../../../src/main/services/sam/samRuntime'

const SEEDS = [1, 2, 3] as const
const TRACKING_FLOORS: Record<(typeof SEEDS)[number], number> = { 1: 0.88, 2: 0.81, 3: 0.79 }

interface SeedResult {
  readonly truth: readonly BinaryMask[]
  readonly tracked: FrameScore
  readonly perFrame: FrameScore
  readonly states: readonly TrackState[]
}

let runtime: SamRuntime
const results = new Map<number, SeedResult>()

async function measure(seed: number): Promise<SeedResult> {
  const sequence = generateSequence({ seed, frames: 30 })
  const { width, height } = sequence
  const truth: BinaryMask[] = sequence.frames.map((frame) => ({ width, height, data: frame.masks[0]! }))
  const empty = (): BinaryMask => ({ width, height, data: new Uint8Array(width * height) })
  const dir = mkdtempSync(path.join(tmpdir(), `persam-tracking-${seed}-`))
  const embeddings: ImageEmbedding[] = []
  for (const [i, frame] of sequence.frames.entries()) {
    const file = path.join(dir, `${String(i).padStart(5, '0')}.png`)
    await sharp(frame.rgb, { raw: { width, height, channels: 3 } }).png().toFile(file)
    embeddings.push((await runtime.encodeFile(file)).embedding)
  }

  const tracker = new SequenceTracker(sequence.frames.length, async (f) => embeddings[f]!, runtime)
  tracker.setKeyframe('target', 0, truth[0]!)
  const frames = (await tracker.run()).objects[0]!.frames
  const tracked = sequenceScore(truth, frames.map((f) => f.mask ?? empty()))

  const target = await prepareTarget([{ embedding: embeddings[0]!, mask: truth[0]! }], 'persam', runtime)
  const single: BinaryMask[] = [truth[0]!]
  for (let f = 1; f < embeddings.length; f++) {
    const found = await segmentImage(target, embeddings[f]!, runtime)
    single.push(found.instances[0]?.mask ?? empty())
  }
  return { truth, tracked, perFrame: sequenceScore(truth, single), states: frames.map((f) => f.state) }
}

beforeAll(async () => {
  runtime = await SamRuntime.open({ model: { dir: 'resources/models/toy-sam' }, providers: ['cpu'] })
  for (const seed of SEEDS) results.set(seed, await measure(seed))
}, 400_000)

afterAll(async () => {
  await runtime?.close()
})

describe('sequence tracking on synthetic sequences (toy model)', () => {
  it('reaches J above per-frame propagation of the same frames on every seed, and clearly on average', () => {
    let trackedSum = 0
    let perFrameSum = 0
    for (const seed of SEEDS) {
      const { tracked, perFrame } = results.get(seed)!
      expect(tracked.j, `seed ${seed}`).toBeGreaterThan(TRACKING_FLOORS[seed])
      expect(tracked.j, `seed ${seed}`).toBeGreaterThan(perFrame.j)
      expect(tracked.f, `seed ${seed}`).toBeGreaterThan(perFrame.f)
      trackedSum += tracked.j
      perFrameSum += perFrame.j
    }
    expect((trackedSum - perFrameSum) / SEEDS.length).toBeGreaterThan(0.04)
  })

  it('calls the frames where the target is out of view absent and picks it up again when it returns', () => {
    for (const seed of SEEDS) {
      const { truth, states } = results.get(seed)!
      const outOfView = truth.flatMap((mask, f) => (mask.data.some((v) => v) ? [] : [f]))
      expect(outOfView.length).toBeGreaterThanOrEqual(5)
      expect(outOfView.map((f) => states[f]), `seed ${seed}`).toEqual(outOfView.map(() => 'absent'))
      const back = Math.max(...outOfView) + 1
      expect(states.slice(back + 1).filter((s) => s === 'absent'), `seed ${seed}`).toEqual([])
    }
  })
})
