import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { createStudioCore } from '../../../src/main/api/studioCore'
import { makeVideo, syntheticFrames } from '../services/video/videoFixtures'
import { inProcessClient, waitForJob } from './workflowClients'

describe('sequence import channels', () => {
  it('probe a video, import it and a frame folder as sequences through background jobs, and refuse bad requests', async () => {
    const base = mkdtempSync(path.join(tmpdir(), 'sequence-import-api-'))
    const core = await createStudioCore({ host: 'cli', dataDir: path.join(base, 'data'), log: () => {} })
    const api = inProcessClient(core)
    try {
      await api.call('project:openDemo', {})
      const video = await makeVideo(base, 'walk.mp4', syntheticFrames(10), { fps: '25', codec: 'h264' })

      const probe = await api.call('sequence:probe', { path: video, sampling: { everyNth: 3 } })
      expect(probe).toMatchObject({ path: video, codec: 'h264', fps: 25, frameCount: 10, durationMs: 400, framesToExtract: 4, rotation: 0 })
      await expect(api.call('sequence:probe', { path: path.join(base, 'none.mp4') })).rejects.toThrow('none.mp4 does not exist')

      const imagesBefore = (await api.call('image:list', { offset: 0, limit: 1 })).total
      const job = await api.call('sequence:importVideo', { path: video, sampling: { everyNth: 3 }, framesFolder: path.join(base, 'walk frames') })
      const done = await waitForJob(api, job.id)
      expect(done).toMatchObject({ state: 'done', kind: 'import', report: { name: 'walk', frames: 4, newImages: 4, folder: path.join(base, 'walk frames') } })
      expect(readdirSync(path.join(base, 'walk frames'))).toHaveLength(4)
      const [walk] = await api.call('sequence:list', {})
      expect(walk).toMatchObject({ name: 'walk', source: 'video', sourcePath: video, fps: 25 / 3, frameCount: 4 })
      const frames = await api.call('sequence:frames', { sequenceId: walk!.id })
      expect(frames.map((frame) => frame.timestampMs)).toEqual([0, 120, 240, 360])
      expect((await api.call('image:list', { offset: 0, limit: 1 })).total).toBe(imagesBefore + 4)

      const folder = path.join(base, 'burst')
      mkdirSync(folder)
      for (const [i, name] of ['b10.jpg', 'b1.jpg', 'b2.jpg'].entries()) {
        await sharp({ create: { width: 5, height: 5, channels: 3, background: { r: 40 * i, g: 0, b: 0 } } }).jpeg().toFile(path.join(folder, name))
      }
      const framesJob = await api.call('sequence:importFrames', { folder, fps: 2 })
      expect(await waitForJob(api, framesJob.id)).toMatchObject({ state: 'done', report: { name: 'burst', frames: 3 } })
      const burst = (await api.call('sequence:list', {})).find((sequence) => sequence.name === 'burst')!
      expect((await api.call('sequence:frames', { sequenceId: burst.id })).map((frame) => frame.timestampMs)).toEqual([0, 500, 1000])

      // A failing import is a failed job naming the file; nothing is added.
      const corrupt = path.join(base, 'corrupt.mov')
      writeFileSync(corrupt, 'moov? no.')
      const failed = await waitForJob(api, (await api.call('sequence:importVideo', { path: corrupt })).id)
      expect(failed.state).toBe('failed')
      expect(failed.error?.message).toContain(`${corrupt}: not a video FFmpeg can read`)
      expect(await api.call('sequence:list', {})).toHaveLength(2)

      // Cancelled through job:cancel: no frames folder, no half-written folder, no sequence.
      const cancelled = await api.call('sequence:importVideo', { path: video, name: 'cancelled' })
      await api.call('job:cancel', { jobId: cancelled.id })
      expect((await waitForJob(api, cancelled.id)).state).toBe('cancelled')
      expect(readdirSync(base).filter((entry) => entry.includes('walk_frames') || entry.includes('partial'))).toEqual([])
      expect((await api.call('sequence:list', {})).map((sequence) => sequence.name)).not.toContain('cancelled')

      await expect(api.call('sequence:importVideo', { path: video, sampling: { everyNth: 0 } } as never)).rejects.toThrow(/everyNth|sampling/)
      await expect(api.call('sequence:importFrames', { folder, fps: -1 } as never)).rejects.toThrow(/fps/)
      await expect(api.call('sequence:importVideo', { path: video, extra: 1 } as never)).rejects.toThrow(/extra|unrecognized/i)
    } finally {
      await api.close()
      await core.close()
    }
  })
})
