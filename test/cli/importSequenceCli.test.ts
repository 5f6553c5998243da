/**
 * `persam-studio import --video FILE [--fps N | --every N] [--name NAME]` and `--frames DIR`: a
 * real video becomes one sequence with its frames' timestamps; a corrupt video ends with one
 * `error:` line naming the file, exit code 1, and no project or frames left behind.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { Project } from '../../src/main/services/store/index'
import { makeVideo, syntheticFrames } from '../main/services/video/videoFixtures'
import { errorLines, hasStack, runCli } from './cliHelpers'

function sequences(projectDir: string): { name: string; frames: (number | null)[] }[] {
  const project = Project.openReadOnly(projectDir)
  try {
    return project.sequences.list().map((sequence) => ({ name: sequence.name, frames: project.sequences.frames(sequence.id).map((frame) => frame.timestampMs) }))
  } finally {
    project.close()
  }
}

describe('persam-studio import --video / --frames', () => {
  it('imports a video (every Nth frame, named) and a frame folder as sequences into a new project', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'import-video-cli-'))
    const video = await makeVideo(dir, 'clip.webm', syntheticFrames(10), { fps: '20', codec: 'vp9' })
    const projectDir = path.join(dir, 'project')
    const outcome = await runCli(['import', projectDir, '--video', video, '--every', '4', '--name', 'sparse'])
    expect(errorLines(outcome.stderr)).toEqual([])
    expect(outcome.code).toBe(0)
    expect(outcome.stderr).toContain('imported sequence "sparse": 3 frames')
    expect(readdirSync(path.join(dir, 'clip_frames'))).toEqual(['frame_000001.jpg', 'frame_000002.jpg', 'frame_000003.jpg'])

    const frames = path.join(dir, 'stills')
    mkdirSync(frames)
    for (const [i, name] of ['s11.png', 's3.png'].entries()) await sharp({ create: { width: 4, height: 4, channels: 3, background: { r: i * 99, g: 1, b: 2 } } }).png().toFile(path.join(frames, name))
    const second = await runCli(['import', projectDir, '--frames', frames, '--fps', '5'])
    expect(second.code).toBe(0)
    expect(sequences(projectDir)).toEqual([
      { name: 'sparse', frames: [0, 200, 400] },
      { name: 'stills', frames: [0, 200] },
    ])
  })

  it('a corrupt video: one error line naming the file, exit code 1, no project and no frames folder left', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'import-video-cli-'))
    const corrupt = path.join(dir, 'bad.mp4')
    writeFileSync(corrupt, 'definitely not a video')
    const projectDir = path.join(dir, 'project')
    const outcome = await runCli(['import', projectDir, '--video', corrupt])
    expect(outcome.code).toBe(1)
    expect(errorLines(outcome.stderr)).toEqual([expect.stringMatching(new RegExp(`^error: ${corrupt.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not a video FFmpeg can read`))])
    expect(hasStack(outcome.stderr)).toBe(false)
    expect(existsSync(projectDir)).toBe(false)
    expect(readdirSync(dir)).toEqual(['bad.mp4'])
    const both = await runCli(['import', projectDir, '--video', corrupt, '--fps', '2', '--every', '3'])
    expect(errorLines(both.stderr)).toEqual(['error: give at most one of --fps N or --every N'])
  })
})
