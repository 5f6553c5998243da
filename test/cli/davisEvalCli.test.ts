import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { generateSequence } from '../../src/common/synthetic/sequence'
import { davisColour } from '../../src/main/services/evaluation/davisEval'

const run = promisify(execFile)
const cli = (args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], { maxBuffer: 16 * 2 ** 20 })

let root: string
beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'cli-davis-'))
  const sequence = generateSequence({ seed: 5, frames: 5 })
  const { width, height } = sequence
  for (const dir of ['JPEGImages', 'Annotations']) mkdirSync(path.join(root, dir, '480p', 'walk'), { recursive: true })
  for (const [i, frame] of sequence.frames.entries()) {
    const name = String(i).padStart(5, '0')
    await sharp(frame.rgb, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toFile(path.join(root, 'JPEGImages', '480p', 'walk', `${name}.jpg`))
    const rgb = new Uint8Array(width * height * 3)
    for (let p = 0; p < width * height; p++) if (frame.masks[0]![p]) rgb.set(davisColour(1), p * 3)
    await sharp(rgb, { raw: { width, height, channels: 3 } }).png().toFile(path.join(root, 'Annotations', '480p', 'walk', `${name}.png`))
  }
}, 60_000)

describe('persam-studio eval --davis', () => {
  it('with --sequence tracks each sequence, prints J, F and J&F per sequence and writes the JSON report', async () => {
    const report = path.join(root, 'report.json')
    const { stdout } = await cli(['eval', '--davis', root, '--sequence', '--method', 'persam', '--report', report, '--ep', 'cpu'])
    expect(stdout).toMatch(/persam tracking: J\s+\d+\.\d\s+F\s+\d+\.\d\s+J&F\s+\d+\.\d\s+\(1 sequences\)/)
    expect(stdout).toMatch(/walk\s+J\s+\d+\.\d\s+F\s+\d+\.\d\s+J&F\s+\d+\.\d\s+\(1 objects, 5 frames\)/)
    const json = JSON.parse(readFileSync(report, 'utf8'))
    expect(json.mode).toBe('tracking')
    expect(json.sequences).toHaveLength(1)
    expect(json.sequences[0].j).toBeGreaterThan(0.4) // measured 0.50 on these three scored frames
  }, 120_000)

  it('without --sequence propagates from frame 0 to each frame on its own', async () => {
    const report = path.join(root, 'per-frame.json')
    const { stdout } = await cli(['eval', '--davis', root, '--method', 'persam', '--report', report, '--ep', 'cpu'])
    expect(stdout).toMatch(/persam per-frame: J\s+\d+\.\d\s+F\s+\d+\.\d\s+J&F\s+\d+\.\d\s+\(1 sequences\)/)
    const json = JSON.parse(readFileSync(report, 'utf8'))
    expect(json.mode).toBe('per-frame')
    expect(json.sequences[0].frames).toBe(5)
  }, 120_000)

  it('asks for --data or --davis when neither is given', async () => {
    await expect(cli(['eval', '--ep', 'cpu'])).rejects.toMatchObject({ stderr: expect.stringMatching(/--data <dir>.*or --davis <dir>/) })
  }, 60_000)
})
