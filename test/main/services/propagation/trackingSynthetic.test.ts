/**
 * Sequence tracking against per-frame propagation with the real toy model on the seeded synthetic
 * sequence (30 frames of 192x144: the target turns, scales, passes behind a post, leaves the frame
 * and comes back, with a look-alike and part-coloured blobs around). Both start from frame 0's
 * true mask; per-frame propagation runs the image engine on every frame from that one reference.
 * Measured on this sequence: tracking J 0.866, F 0.935; per-frame J 0.886, F 0.951 (see
 * docs/video-tracking.md: tracking does not beat per-frame propagation here yet). The floors sit
 * about 12% below.
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

const sequence = generateSequence({ seed: 7, frames: 30 })
const { width, height } = sequence
const truth: BinaryMask[] = sequence.frames.map((frame) => ({ width, height, data: frame.masks[0]! }))
const empty = (): BinaryMask => ({ width, height, data: new Uint8Array(width * height) })

let runtime: SamRuntime
let tracked: FrameScore
let perFrame: FrameScore
let states: TrackState[]

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'persam-tracking-'))
  runtime = await SamRuntime.open({ model: { dir: 'resources/models/toy-sam' }, providers: ['cpu'] })
  const embeddings: ImageEmbedding[] = []
  for (const [i, frame] of sequence.frames.entries()) {
    const file = path.join(dir, `${String(i).padStart(5, '0')}.png`)
    await sharp(frame.rgb, { raw: { width, height, channels: 3 } }).png().toFile(file)
    embeddings.push((await runtime.encodeFile(file)).embedding)
  }

  const tracker = new SequenceTracker(sequence.frames.length, async (f) => embeddings[f]!, runtime)
  tracker.setKeyframe('target', 0, truth[0]!)
  const result = await tracker.run()
  const frames = result.objects[0]!.frames
  states = frames.map((f) => f.state)
  tracked = sequenceScore(truth, frames.map((f) => f.mask ?? empty()))

  const target = await prepareTarget([{ embedding: embeddings[0]!, mask: truth[0]! }], 'persam', runtime)
  const single: BinaryMask[] = [truth[0]!]
  for (let f = 1; f < embeddings.length; f++) {
    const found = await segmentImage(target, embeddings[f]!, runtime)
    single.push(found.instances[0]?.mask ?? empty())
  }
  perFrame = sequenceScore(truth, single)
}, 120_000)

afterAll(async () => {
  await runtime?.close()
})

describe('sequence tracking on the synthetic sequence (toy model)', () => {
  it('reaches the J and F floors, as per-frame propagation does', () => {
    expect(tracked.j).toBeGreaterThan(0.76)
    expect(tracked.f).toBeGreaterThan(0.82)
    expect(perFrame.j).toBeGreaterThan(0.78)
    expect(perFrame.f).toBeGreaterThan(0.84)
  })

  it('calls the frames where the target is out of view absent and picks it up again when it returns', () => {
    const outOfView = truth.flatMap((mask, f) => (mask.data.some((v) => v) ? [] : [f]))
    expect(outOfView.length).toBeGreaterThanOrEqual(5)
    for (const f of outOfView) expect(states[f]).toBe('absent')
    const back = Math.max(...outOfView) + 1
    expect(states.slice(back + 1).filter((s) => s === 'absent')).toEqual([])
  })
})
