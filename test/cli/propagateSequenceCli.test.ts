/**
 * `persam-studio propagate --sequence` on real files: a seeded synthetic sequence written as PNG
 * frames named frame0.png .. frame11.png (natural order differs from plain text order), with PNG
 * masks for two keyframes, on the toy model.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { decodeRle, decompressRle, maskIou, type BinaryMask } from '../../src/common/mask'
import { generateSequence } from '../../src/common/synthetic/sequence'
import { naturalCompare } from '../../src/common/util/naturalOrder'
import { useTempDir } from '../helpers/tempDir'
import { errorLines, runCli } from './cliHelpers'

const FRAMES = 12
const KEYFRAMES = [0, 9]
const dir = useTempDir('cli-sequence-')
const frames = path.join(dir, 'walk')
const sequence = generateSequence({ seed: 1, frames: FRAMES })
const { width, height } = sequence
const truth: BinaryMask[] = sequence.frames.map((frame) => ({ width, height, data: frame.masks[0]! }))
const maskFile = (f: number) => path.join(dir, `mask${f}.png`)
const frameFile = (f: number) => path.join(frames, `frame${f}.png`)

interface Coco {
  images: { id: number; file_name: string; width: number; height: number; sequence: string; frame_index: number }[]
  annotations: { image_id: number; segmentation: { size: [number, number]; counts: string }; score: number; persam: { state: string; mode: string } }[]
}

beforeAll(async () => {
  mkdirSync(frames)
  for (const [f, frame] of sequence.frames.entries()) {
    await sharp(frame.rgb, { raw: { width, height, channels: 3 } }).png().toFile(frameFile(f))
    await sharp(Buffer.from(truth[f]!.data.map((v) => v * 255)), { raw: { width, height, channels: 1 } }).png().toFile(maskFile(f))
  }
}, 60_000)

describe('natural file-name order', () => {
  it('puts frame2 before frame10 and keeps plain order otherwise', () => {
    expect(['frame10.png', 'frame2.png', 'frame1.png', 'a/frame3.png'].sort(naturalCompare)).toEqual(['a/frame3.png', 'frame1.png', 'frame2.png', 'frame10.png'])
  })
})

describe('persam-studio propagate --sequence', () => {
  it('writes one image per frame in natural order with the keyframes\' given masks and the tracked masks in between', async () => {
    const out = path.join(dir, 'out', 'walk.json')
    const refs = KEYFRAMES.flatMap((f) => ['--ref', frameFile(f)])
    const masks = KEYFRAMES.flatMap((f) => ['--ref-mask', maskFile(f)])
    const result = await runCli(['propagate', '--sequence', ...refs, ...masks, '--images', frames, '--out', out, '--method', 'persam', '--ep', 'cpu'])
    expect(result.code, result.stderr).toBe(0)
    const coco = JSON.parse(readFileSync(out, 'utf8')) as Coco
    expect(coco.images).toEqual(Array.from({ length: FRAMES }, (_, f) => ({ id: f + 1, file_name: `frame${f}.png`, width, height, sequence: 'walk', frame_index: f })))
    const byFrame = new Map(coco.annotations.map((a) => [a.image_id - 1, a]))
    for (const f of KEYFRAMES) {
      const keyframe = byFrame.get(f)!
      expect(keyframe.persam.state).toBe('keyframe')
      expect(keyframe.score).toBe(1)
      expect(Buffer.from(decodeRle(decompressRle(keyframe.segmentation)).data).equals(Buffer.from(truth[f]!.data))).toBe(true)
    }
    // Frames where the object is out of view have no mask; the others are tracked close to the truth.
    const visible = truth.flatMap((mask, f) => (mask.data.some((v) => v) ? [f] : []))
    expect(visible.length).toBeLessThan(FRAMES)
    for (let f = 0; f < FRAMES; f++) if (!visible.includes(f)) expect(byFrame.has(f), `frame ${f}`).toBe(false)
    const tracked = visible.filter((f) => !KEYFRAMES.includes(f))
    const ious = tracked.map((f) => (byFrame.has(f) ? maskIou(decodeRle(decompressRle(byFrame.get(f)!.segmentation)), truth[f]!) : 0))
    // Measured: mean J 0.91 over the tracked visible frames.
    expect(ious.reduce((a, b) => a + b, 0) / ious.length).toBeGreaterThan(0.8)
  }, 240_000)

  it('refuses a --ref that is not one of the frames, naming it', async () => {
    const outside = path.join(dir, 'elsewhere.png')
    await sharp(frameFile(0)).toFile(outside)
    const result = await runCli(['propagate', '--sequence', '--ref', outside, '--ref-mask', maskFile(0), '--images', frames, '--out', path.join(dir, 'x.json'), '--ep', 'cpu'])
    expect(result.code).toBe(2)
    expect(errorLines(result.stderr).join('\n')).toMatch(/--ref .*elsewhere\.png: not one of the frames in --images/)
  }, 60_000)
})
