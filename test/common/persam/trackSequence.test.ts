/** Keyframes, spans, loss and return, drift flags and several objects, in a scripted world (no model). */
import { describe, expect, it } from 'vitest'
import { maskIou } from '../../../src/common/mask'
import { segmentImage } from '../../../src/common/persam/segment'
import { prepareTarget } from '../../../src/common/persam/target'
import { resolveOverlaps, SequenceTracker } from '../../../src/common/persam/trackSequence'
import { jumped, type TrackedFrame } from '../../../src/common/persam/trackSpan'
import type { DecodeRequest } from '../../../src/common/sam/port'
import { rect, rectMask, worldDecoder, worldEmbedding, type Rect, type WorldFrame } from './trackWorld'

/** The target (look 0) walking right 2 px per frame from x = 10. */
const walking = (frames: number, extra: (f: number) => Rect[] = () => []): WorldFrame[] => Array.from({ length: frames }, (_, f) => [rect(10 + 2 * f, 24, 10), ...extra(f)])

function tracker(world: readonly WorldFrame[], override?: Parameters<typeof worldDecoder>[1], options: ConstructorParameters<typeof SequenceTracker>[3] = {}) {
  const { decoder, requests } = worldDecoder(world, override)
  const embedded: number[] = []
  const instance = new SequenceTracker(world.length, async (f) => (embedded.push(f), worldEmbedding(world, f)), decoder, options)
  return { tracker: instance, requests, embedded }
}

const states = (frames: readonly TrackedFrame[]): string => frames.map((f) => f.state[0]).join('')

describe('sequence tracking', () => {
  it('follows the object forward from the keyframe with the previous box, its centre and map peaks as prompts', async () => {
    const world = walking(8)
    const { tracker: t, requests } = tracker(world)
    t.setKeyframe('a', 0, rectMask(world[0]![0]!))
    const result = await t.run()
    const frames = result.objects[0]!.frames
    expect(states(frames)).toBe('kppppppp')
    for (let f = 1; f < 8; f++) expect(maskIou(frames[f]!.mask!, rectMask(world[f]![0]!))).toBe(1)
    // Frame 1's first call: the keyframe's box grown by the margin, and its centre among the positive points.
    const first = requests.find((r) => r.frame === 1)!.request
    expect(first.box!.x0).toBeLessThan(10)
    expect(first.box!.x1).toBeGreaterThan(19)
    expect(first.points).toContainEqual({ x: 14.5, y: 28.5, label: 1 })
    expect(first.points.filter((p) => p.label === 1).length).toBe(2) // the map's top point and the box centre
    // The refinements: logits without the old box, then logits with the box of the refined mask.
    const [, second, third] = requests.filter((r) => r.frame === 1).map((r) => r.request)
    expect(second!.box).toBeNull()
    expect(second!.maskInput).toBeInstanceOf(Float32Array)
    expect(third!.box).toEqual({ x0: 12, y0: 24, x1: 21, y1: 33 })
  })

  it('searches the same frame globally when the object is no longer near its previous box, and flags the jump', async () => {
    const world: WorldFrame[] = [[rect(6, 6, 10)], [rect(8, 6, 10)], [rect(46, 46, 10)], [rect(44, 46, 10)], [rect(42, 46, 10)]]
    const { tracker: t } = tracker(world)
    t.setKeyframe('a', 0, rectMask(world[0]![0]!))
    const frames = (await t.run()).objects[0]!.frames
    expect(frames.map((f) => `${f.state}/${f.mode}`)).toEqual(['keyframe/keyframe', 'proposed/local', 'flagged/global', 'proposed/global', 'proposed/local'])
    expect(maskIou(frames[2]!.mask!, rectMask(world[2]![0]!))).toBe(1)
  })

  it('runs forward and backward from each keyframe, stopping at the next one', async () => {
    const world = walking(10)
    const { tracker: t, requests } = tracker(world)
    t.setKeyframe('a', 3, rectMask(world[3]![0]!))
    t.setKeyframe('a', 7, rectMask(world[7]![0]!))
    const result = await t.run()
    expect(states(result.objects[0]!.frames)).toBe('pppkpppkpp')
    expect(result.spansComputed).toBe(4) // 3 back, 3 forward, 7 back, 7 forward
    expect(requests.some((r) => r.frame === 3 || r.frame === 7)).toBe(false)
  })

  it('re-runs only the spans a changed keyframe bounds', async () => {
    const world = walking(12)
    const { tracker: t } = tracker(world)
    t.setKeyframe('a', 0, rectMask(world[0]![0]!))
    t.setKeyframe('a', 6, rectMask(world[6]![0]!))
    expect((await t.run()).spansComputed).toBe(3)
    // A corrected mask on frame 6: its two spans again; frame 0's span stops at 6 either way.
    t.setKeyframe('a', 6, rectMask(world[6]![0]!))
    const corrected = await t.run()
    expect([corrected.spansComputed, corrected.spansReused]).toEqual([2, 1])
    // A new keyframe at 3 cuts 0's and 6's spans short and adds two: only 6's forward span survives.
    t.setKeyframe('a', 3, rectMask(world[3]![0]!))
    const inserted = await t.run()
    expect([inserted.spansComputed, inserted.spansReused]).toEqual([4, 1])
    expect(states(inserted.objects[0]!.frames)).toBe('kppkppkppppp')
  })

  it('marks frames where the object has left absent and resumes when it comes back elsewhere', async () => {
    const world: WorldFrame[] = [0, 1, 2, 3].map((f) => [rect(10 + 2 * f, 24, 10)])
    world.push([], [], [])
    world.push([rect(44, 40, 10)], [rect(42, 40, 10)], [rect(40, 40, 10)])
    const { tracker: t } = tracker(world)
    t.setKeyframe('a', 0, rectMask(world[0]![0]!))
    const frames = (await t.run()).objects[0]!.frames
    expect(states(frames)).toBe('kpppaaappp')
    expect(frames.slice(4, 7).map((f) => f.mask)).toEqual([null, null, null])
    expect(frames[7]!.mode).toBe('global')
    expect(frames[8]!.mode).toBe('local')
    expect(maskIou(frames[9]!.mask!, rectMask(world[9]![0]!))).toBe(1)
  })

  it('keeps to the tracked object when an identical distractor wins the global location prior', async () => {
    // The distractor sits above and left of the target, so it is the map's first maximum.
    const world = walking(6, () => [rect(2, 2, 10)])
    const { tracker: t } = tracker(world)
    const { decoder } = worldDecoder(world)
    t.setKeyframe('a', 0, rectMask(world[0]![0]!))
    const frames = (await t.run()).objects[0]!.frames
    for (let f = 1; f < 6; f++) expect(maskIou(frames[f]!.mask!, rectMask(world[f]![0]!))).toBe(1)
    // The image engine alone, from the same reference, takes the distractor.
    const target = await prepareTarget([{ embedding: worldEmbedding(world, 0), mask: rectMask(world[0]![0]!) }], 'persam', decoder)
    const single = await segmentImage(target, worldEmbedding(world, 3), decoder)
    expect(maskIou(single.instances[0]!.mask, rectMask(world[3]![1]!))).toBe(1)
  })

  it('flags a frame whose mask jumps away and re-detects the next one globally', async () => {
    // On frame 2 a look-alike appears far away and the decoder jumps to it.
    const world = walking(6, (f) => (f === 2 ? [rect(48, 48, 10)] : []))
    const { tracker: t } = tracker(world, (frame) => (frame === 2 ? rectMask(rect(48, 48, 10)) : null))
    t.setKeyframe('a', 0, rectMask(world[0]![0]!))
    const frames = (await t.run()).objects[0]!.frames
    expect(frames[2]!.state).toBe('flagged')
    expect(frames[3]!.mode).toBe('global')
    expect(frames[3]!.state).toBe('proposed')
    expect(frames[4]!.mode).toBe('local')
  })

  it('leaves a look-alike picked up while the object was away once a periodic global check finds the object more confidently', async () => {
    const lookAlike = { ...rect(44, 44, 10), mix: 0.25 }
    const world: WorldFrame[] = [[rect(10, 24, 10), lookAlike], [lookAlike], [lookAlike]]
    for (let f = 3; f < 16; f++) world.push([rect(12, 24, 10), lookAlike])
    const onTarget = (frames: readonly TrackedFrame[]) => frames.map((f) => (f.mask && maskIou(f.mask, rectMask(rect(12, 24, 10))) === 1 ? 'T' : f.mask ? 'x' : '-')).join('')
    const latched = tracker(world, undefined, { track: { recheckEvery: 0 } }).tracker
    latched.setKeyframe('a', 0, rectMask(world[0]![0]!))
    expect(onTarget((await latched.run()).objects[0]!.frames)).toBe('xxxxxxxxxxxxxxxx')
    const checked = tracker(world).tracker
    checked.setKeyframe('a', 0, rectMask(world[0]![0]!))
    const frames = (await checked.run()).objects[0]!.frames
    expect(onTarget(frames).slice(-4)).toBe('TTTT')
    expect(frames.find((f) => f.frame > 2 && f.mode === 'global')?.state).toBe('flagged')
  })

  it('calls a look-alike well below the track\'s usual confidence absent while the object is away, and resumes on the object', async () => {
    // The look-alike's cells mix in a third of the background look: confidence about 0.86, above the
    // fixed absent threshold (0.78) and the flag threshold (0.84), below the track's 0.98 less 0.08.
    const lookAlike = { ...rect(44, 44, 10), mix: 0.3 }
    const world: WorldFrame[] = [0, 1, 2, 3, 4].map((f) => [rect(10 + 2 * f, 24, 10)])
    world.push([lookAlike], [lookAlike], [lookAlike], [rect(20, 24, 10), lookAlike], [rect(22, 24, 10), lookAlike])
    const onTarget = (frames: readonly TrackedFrame[]) => frames.map((f) => (!f.mask ? '-' : world[f.frame]![0]!.mix === undefined && maskIou(f.mask, rectMask(world[f.frame]![0]!)) === 1 ? 'T' : 'x')).join('')
    const { tracker: t } = tracker(world)
    t.setKeyframe('a', 0, rectMask(world[0]![0]!))
    const frames = (await t.run()).objects[0]!.frames
    expect(onTarget(frames)).toBe('TTTTT---TT')
    expect(states(frames)).toBe('kppppaaapp')
    // With the fixed threshold alone the track takes the look-alike while the object is away; once it
    // is back, the look-alike's local steps fall below the track's usual confidence and a global search finds the object.
    const { tracker: fixed } = tracker(world, undefined, { track: { lossMargin: 1, recheckEvery: 0 } })
    fixed.setKeyframe('a', 0, rectMask(world[0]![0]!))
    expect(onTarget((await fixed.run()).objects[0]!.frames)).toBe('TTTTTxxxTT')
  })

  it('checks a local step below the track\'s usual confidence against a global search and keeps the better mask', async () => {
    // On frame 3 the local step (two positive points: the map's peak and the box centre) bleeds into the background beside the object.
    const world = walking(6)
    const bleed: Rect = { x0: 16, y0: 24, x1: 30, y1: 34, look: 0 }
    const localOnFrame3 = (frame: number, request: DecodeRequest) => (frame === 3 && request.points.filter((p) => p.label === 1).length >= 2 ? rectMask(bleed) : null)
    const { tracker: t } = tracker(world, localOnFrame3)
    t.setKeyframe('a', 0, rectMask(world[0]![0]!))
    const frames = (await t.run()).objects[0]!.frames
    expect(frames[3]!.mode).toBe('global')
    expect(frames[3]!.state).toBe('proposed')
    expect(maskIou(frames[3]!.mask!, rectMask(world[3]![0]!))).toBe(1)
    expect(frames[4]!.mode).toBe('local')
  })

  it('looks for the object where its last displacement takes it', async () => {
    const world: WorldFrame[] = Array.from({ length: 5 }, (_, f) => [rect(4 + 6 * f, 24, 10)])
    const { tracker: t, requests } = tracker(world)
    t.setKeyframe('a', 0, rectMask(world[0]![0]!))
    const frames = (await t.run()).objects[0]!.frames
    expect(states(frames)).toBe('kpppp')
    // Frame 1 starts from the keyframe's box (no motion known yet); frame 3 from frame 2's box moved on by 6 px.
    const firstBox = (frame: number) => requests.find((r) => r.frame === frame)!.request.box!
    expect(firstBox(1).x0 + firstBox(1).x1).toBeCloseTo(4 + 13, 0)
    expect((firstBox(3).x0 + firstBox(3).x1) / 2).toBeCloseTo((16 + 25) / 2 + 6, 0)
  })

  it('tracks two objects and gives a contested pixel to the more confident one', async () => {
    const world: WorldFrame[] = Array.from({ length: 5 }, (_, f) => [rect(8 + 2 * f, 20, 10, 0), rect(44 - 2 * f, 20, 10, 1)])
    const { tracker: t } = tracker(world)
    t.setKeyframe('a', 0, rectMask(world[0]![0]!))
    t.setKeyframe('b', 0, rectMask(world[0]![1]!))
    const result = await t.run()
    expect(result.objects.map((o) => o.id)).toEqual(['a', 'b'])
    for (const [i, object] of result.objects.entries()) {
      for (let f = 1; f < 5; f++) expect(maskIou(object.frames[f]!.mask!, rectMask(world[f]![i]!))).toBe(1)
    }
  })
})

describe('drift bounds and overlap resolution', () => {
  const box = { x0: 10, y0: 10, x1: 19, y1: 19 }
  it('calls a jump on area changes beyond the factor or centre shifts beyond the share of the diagonal', () => {
    const bounds = { maxAreaChange: 2, maxCentreShift: 0.5 }
    expect(jumped({ box, coverage: 0.1 }, { box, coverage: 0.19 }, bounds)).toBe(false)
    expect(jumped({ box, coverage: 0.1 }, { box, coverage: 0.21 }, bounds)).toBe(true)
    expect(jumped({ box, coverage: 0.1 }, { box, coverage: 0.049 }, bounds)).toBe(true)
    // Diagonal of a 10x10 box is 14.1: a 7 px shift is within half of it, 8 px is not.
    expect(jumped({ box, coverage: 0.1 }, { box: { x0: 17, y0: 10, x1: 26, y1: 19 }, coverage: 0.1 }, bounds)).toBe(false)
    expect(jumped({ box, coverage: 0.1 }, { box: { x0: 18, y0: 10, x1: 27, y1: 19 }, coverage: 0.1 }, bounds)).toBe(true)
  })

  it('leaves no pixel in two masks, the more confident keeping it, and makes an emptied object absent', () => {
    const frame = (mask: ReturnType<typeof rectMask>, confidence: number): TrackedFrame => ({ frame: 0, mask, confidence, state: 'proposed', mode: 'local' })
    const resolved = resolveOverlaps(
      [
        { id: 'a', frames: [frame(rectMask(rect(0, 0, 10)), 0.8)] },
        { id: 'b', frames: [frame(rectMask(rect(5, 0, 10)), 0.9)] },
        { id: 'c', frames: [frame(rectMask(rect(6, 2, 4)), 0.85)] },
      ],
      1,
    )
    const [a, b, c] = resolved.map((o) => o.frames[0]!)
    expect(maskIou(b!.mask!, rectMask(rect(5, 0, 10)))).toBe(1)
    expect(a!.mask!.data.reduce((s, v) => s + v, 0)).toBe(50) // columns 0..4 of rows 0..9
    expect(c!.mask).toBeNull()
    expect(c!.state).toBe('absent')
  })
})

describe('the location map of a tracking step', () => {
  it('equals the image engine\'s map (norms and similarities computed in one pass give the same values)', async () => {
    const { targetLocationMap } = await import('../../../src/common/persam/trackStep')
    const { cellNorms, similarityGrid } = await import('../../../src/common/persam/features')
    const world = walking(2, () => [rect(40, 40, 6, 1)])
    const embedding = worldEmbedding(world, 1)
    for (let i = 0; i < embedding.data.length; i += 7) (embedding.data as Float32Array)[i]! += ((i * 2654435761) % 1000) / 5000
    const unit = new Float32Array(256).map((_, c) => Math.cos(c))
    let norm = 0
    for (const v of unit) norm += v * v
    const feature = unit.map((v) => v / Math.sqrt(norm))
    const target = { method: 'persam' as const, locationFeatures: [feature], targetEmbedding: feature, maskFeature: feature, fusion: null, referencePeak: 1, fallbackReferences: 0 }
    expect(Array.from(targetLocationMap(target, embedding).grid)).toEqual(Array.from(similarityGrid(embedding.data, feature, cellNorms(embedding.data))))
  })
})
