import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { importFrameFolder, listFrameFiles } from '../../../../src/main/services/exchange/sequenceImport'
import { Project } from '../../../../src/main/services/store/index'
import { tempDir } from '../../../helpers/tempDir'

async function writeFrame(file: string, shade: number): Promise<void> {
  await sharp({ create: { width: 6, height: 4, channels: 3, background: { r: shade, g: 255 - shade, b: 40 } } }).png().toFile(file)
}

async function frameFolder(): Promise<{ base: string; frames: string }> {
  const base = tempDir()
  const frames = path.join(base, 'shots', 'take1')
  mkdirSync(frames, { recursive: true })
  // Written out of order; frame9 and frame10 have the same content (a still moment is still two frames).
  for (const [name, shade] of [['frame10.png', 90], ['frame2.png', 20], ['frame1.png', 10], ['frame9.png', 90]] as const) await writeFrame(path.join(frames, name), shade)
  writeFileSync(path.join(frames, 'notes.txt'), 'not a frame')
  await writeFrame(path.join(frames, '.hidden.png'), 1)
  mkdirSync(path.join(frames, 'sub'))
  await writeFrame(path.join(frames, 'sub', 'frame3.png'), 30)
  return { base, frames }
}

describe('frame folder import', () => {
  it('orders frames by natural name (frame2 before frame10), skipping hidden files, other files and subfolders', async () => {
    const { frames } = await frameFolder()
    expect((await listFrameFiles(frames)).map((file) => path.basename(file))).toEqual(['frame1.png', 'frame2.png', 'frame9.png', 'frame10.png'])
  })

  it('imports the folder as one sequence, every frame kept even when two are identical; timestamps only with an fps', async () => {
    const { base, frames } = await frameFolder()
    const project = Project.create(path.join(base, 'project'), { imagesRoot: path.join(base, 'shots') })
    const report = await importFrameFolder(project, frames)
    expect(report).toMatchObject({ name: 'take1', frames: 4, newImages: 4, folder: frames })
    const stored = project.sequences.frames(report.sequenceId).map((frame) => ({ relPath: project.images.require(frame.imageId).relPath, timestampMs: frame.timestampMs }))
    expect(stored).toEqual(['frame1.png', 'frame2.png', 'frame9.png', 'frame10.png'].map((name) => ({ relPath: `take1/${name}`, timestampMs: null })))
    expect(project.sequences.get(report.sequenceId)).toMatchObject({ source: 'frames', sourcePath: frames, fps: null })
    project.close()

    const { base: base2, frames: frames2 } = await frameFolder()
    const other = Project.create(path.join(base2, 'project'), { imagesRoot: base2 })
    const timed = await importFrameFolder(other, frames2, { fps: 4, name: 'timed' })
    expect(other.sequences.frames(timed.sequenceId).map((frame) => frame.timestampMs)).toEqual([0, 250, 500, 750])
    expect(other.sequences.get(timed.sequenceId)!.fps).toBe(4)
    other.close()
  })

  it('fails on an unreadable frame naming it, and stores nothing', async () => {
    const { base, frames } = await frameFolder()
    const broken = path.join(frames, 'frame5.png')
    writeFileSync(broken, 'not a png')
    const project = Project.create(path.join(base, 'project'), { imagesRoot: frames })
    await expect(importFrameFolder(project, frames)).rejects.toThrow(`${broken}: not a readable image`)
    await expect(importFrameFolder(project, path.join(base, 'nowhere'))).rejects.toThrow(`${path.join(base, 'nowhere')} is not a folder`)
    expect(project.images.count()).toBe(0)
    expect(project.sequences.list()).toEqual([])
    project.close()
  })
})
