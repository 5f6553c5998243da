import { existsSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { importVideo } from '../../../../src/main/services/exchange/sequenceImport'
import { Project } from '../../../../src/main/services/store/index'
import { probeVideo } from '../../../../src/main/services/video/probe'
import { runTool } from '../../../../src/main/services/video/runTool'
import { sampledFrameCount } from '../../../../src/common/video/sampling'
import { tempDir } from '../../../helpers/tempDir'
import { closestSourceFrame, makeVideo, syntheticFrames } from './videoFixtures'

const NTSC_FRAME_MS = 1001 / 30

function newProject(base: string): Project {
  const images = path.join(base, 'images')
  mkdirSync(images, { recursive: true })
  return Project.create(path.join(base, 'project'), { imagesRoot: images })
}

function storedFrames(project: Project, sequenceId: number): { file: string; timestampMs: number | null }[] {
  return project.sequences.frames(sequenceId).map((frame) => ({ file: project.absolutePath(project.images.require(frame.imageId).relPath), timestampMs: frame.timestampMs }))
}

describe('video import', () => {
  const sequence = syntheticFrames(12)

  it('imports an H.264 MP4 at 29.97 fps as one sequence: every frame, in order, timestamps from the pts', async () => {
    const base = tempDir()
    const video = await makeVideo(base, 'clip.mp4', sequence, { fps: '30000/1001', codec: 'h264' })
    const project = newProject(base)
    const report = await importVideo(project, video)
    expect(report).toMatchObject({ name: 'clip', frames: 12, newImages: 12, folder: path.join(base, 'clip_frames') })
    const [record] = project.sequences.list()
    expect(record).toMatchObject({ name: 'clip', source: 'video', sourcePath: video, frameCount: 12 })
    expect(record!.fps).toBeCloseTo(29.97, 2)
    const frames = storedFrames(project, report.sequenceId)
    frames.forEach((frame, i) => expect(frame.timestampMs).toBeCloseTo(i * NTSC_FRAME_MS, 2))
    for (const i of [0, 5, 11]) {
      const closest = await closestSourceFrame(frames[i]!.file, sequence)
      expect(closest.index).toBe(i)
      expect(closest.difference).toBeLessThan(6)
    }
    expect(readdirSync(base).filter((name) => name.includes('partial'))).toEqual([])
    project.close()
  })

  it('imports a VP9 WebM and a variable-frame-rate MKV with the real timestamps of the frames it holds', async () => {
    const base = tempDir()
    const webm = await makeVideo(base, 'a.webm', sequence, { fps: '25', codec: 'vp9' })
    // Every third frame dropped with the others keeping their time: gaps of 1 and 2 frame periods.
    const mkv = await makeVideo(base, 'b.mkv', sequence, { fps: '30000/1001', codec: 'h264', keepFrames: 'not(eq(mod(n\\,3)\\,2))' })
    const project = newProject(base)
    const fromWebm = await importVideo(project, webm)
    expect(storedFrames(project, fromWebm.sequenceId).map((frame) => frame.timestampMs)).toEqual(sequence.frames.map((_, i) => i * 40))
    const fromMkv = await importVideo(project, mkv)
    const kept = [0, 1, 3, 4, 6, 7, 9, 10]
    const frames = storedFrames(project, fromMkv.sequenceId)
    // Matroska stores times in whole milliseconds.
    expect(frames.map((frame) => frame.timestampMs)).toEqual(kept.map((i) => Math.round(i * NTSC_FRAME_MS)))
    for (const [position, source] of [[2, 3], [7, 10]] as const) expect((await closestSourceFrame(frames[position]!.file, sequence)).index).toBe(source)
    project.close()
  })

  it('keeps the first frame of each 1/fps interval for a chosen fps, and every Nth frame, as the probe predicted', async () => {
    const base = tempDir()
    const video = await makeVideo(base, 'clip.mp4', sequence, { fps: '30000/1001', codec: 'h264' })
    const probe = await probeVideo(video)
    expect(probe).toMatchObject({ frameCount: 12, width: sequence.width, height: sequence.height, rotation: 0, codec: 'h264' })
    expect(probe.durationMs).toBe(400)
    const project = newProject(base)
    const tenFps = await importVideo(project, video, { sampling: { fps: 10 }, name: 'ten', framesFolder: path.join(base, 'ten') })
    const tenFrames = storedFrames(project, tenFps.sequenceId)
    expect(tenFrames.map((frame) => frame.timestampMs)).toEqual([0, 100.1, 200.2, 300.3])
    expect(await Promise.all(tenFrames.map(async (frame) => (await closestSourceFrame(frame.file, sequence)).index))).toEqual([0, 3, 6, 9])
    expect(tenFrames.length).toBe(sampledFrameCount(probe.frameCount, probe.fps, { fps: 10 }))
    expect(project.sequences.get(tenFps.sequenceId)!.fps).toBe(10)

    const everyFourth = await importVideo(project, video, { sampling: { everyNth: 4 }, name: 'fourth', framesFolder: path.join(base, 'fourth') })
    const fourthFrames = storedFrames(project, everyFourth.sequenceId)
    fourthFrames.forEach((frame, i) => expect(frame.timestampMs).toBeCloseTo(i * 4 * NTSC_FRAME_MS, 2))
    expect(await Promise.all(fourthFrames.map(async (frame) => (await closestSourceFrame(frame.file, sequence)).index))).toEqual([0, 4, 8])
    expect(fourthFrames.length).toBe(sampledFrameCount(probe.frameCount, probe.fps, { everyNth: 4 }))
    project.close()
  })

  it('reports a rotated video at its shown size and extracts its frames upright', async () => {
    const base = tempDir()
    const plain = await makeVideo(base, 'plain.mp4', sequence, { fps: '25', codec: 'h264' })
    const rotated = path.join(base, 'portrait.mp4')
    const remux = await runTool('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', plain, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', rotated])
    expect(remux.code).toBe(0)
    const probe = await probeVideo(rotated)
    expect([90, 270]).toContain(probe.rotation)
    expect({ width: probe.width, height: probe.height }).toEqual({ width: sequence.height, height: sequence.width })
    const project = newProject(base)
    const report = await importVideo(project, rotated)
    const files = storedFrames(project, report.sequenceId).map(({ file }) => file)
    const first = project.images.require(project.sequences.frames(report.sequenceId)[0]!.imageId)
    expect({ width: first.width, height: first.height }).toEqual({ width: sequence.height, height: sequence.width })
    expect(files).toHaveLength(12)
    project.close()
  })

  it('refuses a corrupt file or a still image with an error naming it, and changes nothing', async () => {
    const base = tempDir()
    const project = newProject(base)
    const corrupt = path.join(base, 'broken.mp4')
    writeFileSync(corrupt, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)))
    await expect(importVideo(project, corrupt)).rejects.toThrow(`${corrupt}: not a video FFmpeg can read`)
    const still = path.join(base, 'still.png')
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } }).png().toFile(still)
    await expect(importVideo(project, still)).rejects.toThrow(`${still}: is a still image, not a video`)
    await expect(importVideo(project, path.join(base, 'missing.mp4'))).rejects.toThrow(`${path.join(base, 'missing.mp4')} does not exist`)
    expect(readdirSync(base).sort()).toEqual(['broken.mp4', 'images', 'project', 'still.png'])
    expect(project.images.count()).toBe(0)
    expect(project.sequences.list()).toEqual([])
    project.close()
  })

  it('never writes into an existing non-empty folder, and refuses a sequence name already taken before extracting', async () => {
    const base = tempDir()
    const video = await makeVideo(base, 'clip.mp4', sequence, { fps: '25', codec: 'mpeg4' })
    const project = newProject(base)
    const taken = path.join(base, 'clip_frames')
    mkdirSync(taken)
    writeFileSync(path.join(taken, 'keep.txt'), 'mine')
    await expect(importVideo(project, video)).rejects.toThrow(`${taken} already exists and is not empty`)
    expect(readdirSync(taken)).toEqual(['keep.txt'])
    const first = await importVideo(project, video, { framesFolder: path.join(base, 'first') })
    expect(first.frames).toBe(12)
    await expect(importVideo(project, video, { framesFolder: path.join(base, 'second') })).rejects.toThrow('a sequence named "clip" already exists')
    expect(existsSync(path.join(base, 'second'))).toBe(false)
    // An empty folder made for the frames is used.
    mkdirSync(path.join(base, 'empty'))
    expect((await importVideo(project, video, { name: 'again', framesFolder: path.join(base, 'empty') })).frames).toBe(12)
    expect(readdirSync(path.join(base, 'empty'))).toHaveLength(12)
    project.close()
  })

  it('cancelled while extracting, leaves no frames, no partial folder and no rows behind', async () => {
    const base = tempDir()
    const big = syntheticFrames(4)
    // Long enough that FFmpeg reports progress before it finishes: 240 frames.
    const frames = { ...big, frames: Array.from({ length: 240 }, (_, i) => big.frames[i % 4]!) }
    const video = await makeVideo(base, 'long.mkv', frames, { fps: '25', codec: 'mpeg4' })
    const project = newProject(base)
    const controller = new AbortController()
    const phases: string[] = []
    const run = importVideo(project, video, {
      sampling: 'native',
      signal: controller.signal,
      onProgress: ({ phase, done }) => {
        if (done > 0 && !controller.signal.aborted) {
          phases.push(phase)
          controller.abort()
        }
      },
    })
    await expect(run).rejects.toThrow(/cancelled/)
    expect(phases).toEqual(['extract'])
    expect(readdirSync(base).sort()).toEqual(['images', 'long.mkv', 'project'])
    expect(project.images.count()).toBe(0)
    expect(project.sequences.list()).toEqual([])
    project.close()
  })
})
