/**
 * DAVIS-layout evaluation with the toy model on a small two-object synthetic sequence written in
 * the DAVIS layout (JPEG frames, annotations in the palette's colours).
 */
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateSequence } from '../../../../src/common/synthetic/sequence'
import { davisColour, evaluateDavis, type DavisReport } from '../../../../src/main/services/evaluation/davisEval'
import { SamRuntime } from '../../../../src/main/services/sam/samRuntime'

let runtime: SamRuntime
let root: string
let report: DavisReport

async function writeAnnotation(file: string, width: number, height: number, masks: readonly Uint8Array[], colour = davisColour): Promise<void> {
  const rgb = new Uint8Array(width * height * 3)
  masks.forEach((mask, k) => {
    const [r, g, b] = colour(k + 1)
    for (let p = 0; p < mask.length; p++) if (mask[p]) rgb.set([r, g, b], p * 3)
  })
  await sharp(rgb, { raw: { width, height, channels: 3 } }).png().toFile(file)
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'persam-davis-'))
  const sequence = generateSequence({ seed: 11, frames: 6, targets: 2 })
  const images = path.join(root, 'JPEGImages', '480p', 'synthetic')
  const annotations = path.join(root, 'Annotations', '480p', 'synthetic')
  mkdirSync(images, { recursive: true })
  mkdirSync(annotations, { recursive: true })
  for (const [i, frame] of sequence.frames.entries()) {
    const name = String(i).padStart(5, '0')
    await sharp(frame.rgb, { raw: { width: sequence.width, height: sequence.height, channels: 3 } }).png().toFile(path.join(images, `${name}.png`))
    await writeAnnotation(path.join(annotations, `${name}.png`), sequence.width, sequence.height, frame.masks)
  }
  runtime = await SamRuntime.open({ model: { dir: 'resources/models/toy-sam' }, providers: ['cpu'] })
  report = await evaluateDavis(runtime, root)
}, 120_000)

afterAll(async () => {
  await runtime?.close()
})

describe('DAVIS-layout evaluation', () => {
  it('uses the DAVIS palette: dark red, dark green, olive, navy for objects 1-4', () => {
    expect([1, 2, 3, 4].map(davisColour)).toEqual([
      [128, 0, 0],
      [0, 128, 0],
      [128, 128, 0],
      [0, 0, 128],
    ])
  })

  it('tracks every object of frame 0 and scores the sequence with J, F and J&F', () => {
    expect(report.sequences).toHaveLength(1)
    const [sequence] = report.sequences
    expect(sequence).toMatchObject({ name: 'synthetic', frames: 6, objects: 2 })
    expect(sequence!.j).toBeGreaterThan(0.5)
    expect(sequence!.f).toBeGreaterThan(0.5)
    expect(sequence!.jf).toBeCloseTo((sequence!.j + sequence!.f) / 2, 12)
    expect(report.j).toBe(sequence!.j)
  })

  it('tracks a sequence better than it propagates to each frame, frames taken in natural name order (2 before 10)', async () => {
    // Seed 2: the target leaves the frame and a look-alike stays; per-frame propagation takes the look-alike.
    const sequence = generateSequence({ seed: 2, frames: 30 })
    const walk = mkdtempSync(path.join(tmpdir(), 'persam-davis-walk-'))
    const images = path.join(walk, 'JPEGImages', '480p', 'walk')
    const annotations = path.join(walk, 'Annotations', '480p', 'walk')
    mkdirSync(images, { recursive: true })
    mkdirSync(annotations, { recursive: true })
    for (const [i, frame] of sequence.frames.entries()) {
      await sharp(frame.rgb, { raw: { width: sequence.width, height: sequence.height, channels: 3 } }).png().toFile(path.join(images, `${i}.png`))
      await writeAnnotation(path.join(annotations, `${i}.png`), sequence.width, sequence.height, frame.masks)
    }
    const tracking = await evaluateDavis(runtime, walk, { mode: 'tracking' })
    const perFrame = await evaluateDavis(runtime, walk, { mode: 'per-frame' })
    expect([tracking.mode, perFrame.mode]).toEqual(['tracking', 'per-frame'])
    // Measured: tracking J 0.876, per-frame J 0.683 (as in the in-memory comparison on this seed).
    expect(tracking.j).toBeGreaterThan(0.8)
    expect(tracking.j - perFrame.j).toBeGreaterThan(0.1)
  }, 300_000)

  it('names the annotation file and pixel of a colour outside the palette', async () => {
    const bad = mkdtempSync(path.join(tmpdir(), 'persam-davis-bad-'))
    mkdirSync(path.join(bad, 'JPEGImages', '480p', 'seq'), { recursive: true })
    mkdirSync(path.join(bad, 'Annotations', '480p', 'seq'), { recursive: true })
    await sharp(new Uint8Array(8 * 8 * 3), { raw: { width: 8, height: 8, channels: 3 } }).png().toFile(path.join(bad, 'JPEGImages', '480p', 'seq', '00000.png'))
    const mask = new Uint8Array(64)
    mask[9] = 1
    await writeAnnotation(path.join(bad, 'Annotations', '480p', 'seq', '00000.png'), 8, 8, [mask], () => [10, 20, 30])
    await expect(evaluateDavis(runtime, bad)).rejects.toThrow(/00000\.png: pixel \(1, 1\) has colour 0a141e, not in the DAVIS palette/)
  })
})
