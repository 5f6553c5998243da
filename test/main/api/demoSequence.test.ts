/**
 * "Open the demo video": a demo project of its own in the data folder holding the bundled frames
 * (resources/demo-sequence) as one sequence with timestamps, the category, and frame 0's
 * ground-truth mask as an accepted reference, so the sequence is ready to track. Opening it
 * again reopens that project; the photo demo stays what it was.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodeRle, decompressRle } from '../../../src/common/mask'
import { createStudioCore } from '../../../src/main/api/studioCore'
import { readMaskImage } from '../../../src/main/services/images/maskPng'
import { resourcesDir } from '../../../src/main/services/system/paths'
import { inProcessClient } from './workflowClients'

const FRAMES = 24
const FPS = 12

describe('the demo video', () => {
  it('opens a project with the frames as one timed sequence and a reference on frame 0, and reopens the same project', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'demo-sequence-'))
    const core = await createStudioCore({ host: 'cli', dataDir, log: () => {} })
    const api = inProcessClient(core)
    try {
      const summary = await api.call('project:openDemo', { which: 'sequence' })
      expect(summary).toMatchObject({ isDemo: true, imageCount: FRAMES, annotationCount: 1, readOnly: null })
      expect(summary.imagesRoot).toBe(path.join(resourcesDir(), 'demo-sequence', 'frames'))

      const sequences = await api.call('sequence:list', {})
      expect(sequences).toHaveLength(1)
      expect(sequences[0]).toMatchObject({ name: 'demo video', source: 'frames', fps: FPS, frameCount: FRAMES })
      const frames = await api.call('sequence:frames', { sequenceId: sequences[0]!.id })
      expect(frames.map((f) => f.frameIndex)).toEqual([...Array(FRAMES).keys()])
      expect(frames.map((f) => f.timestampMs)).toEqual(frames.map((_, i) => Math.round((i * 1e6) / FPS) / 1e3))
      // Frame order is the files' order: frame-00.jpg, frame-01.jpg, ...
      const names = await Promise.all(frames.map(async (f) => (await api.call('image:get', { imageId: f.imageId })).image.relativePath))
      expect(names).toEqual(frames.map((_, i) => `frame-${String(i).padStart(2, '0')}.jpg`))

      const categories = await api.call('category:list', {})
      expect(categories.map((c) => c.name)).toEqual(['mug'])
      const first = await api.call('image:get', { imageId: frames[0]!.imageId })
      expect(first.annotations).toHaveLength(1)
      const reference = first.annotations[0]!
      expect(reference).toMatchObject({ categoryId: categories[0]!.id, status: 'accepted', isReference: true })
      const truth = await readMaskImage(path.join(resourcesDir(), 'demo-sequence', 'reference-mask.png'))
      expect(truth.data.some((v) => v === 1)).toBe(true)
      expect(Array.from(decodeRle(decompressRle({ size: [...reference.mask!.size], counts: reference.mask!.counts })).data)).toEqual(Array.from(truth.data))
      const timeline = await api.call('sequence:timeline', { sequenceId: sequences[0]!.id, categoryId: categories[0]!.id })
      expect(timeline.map((f) => f.state)).toEqual(['keyframe', ...Array(FRAMES - 1).fill('none')])

      // Switching to the photo demo and back reopens the same demo video project, unchanged.
      const photos = await api.call('project:openDemo', {})
      expect(photos).toMatchObject({ isDemo: true, imageCount: 12 })
      expect(photos.projectDir).not.toBe(summary.projectDir)
      const again = await api.call('project:openDemo', { which: 'sequence' })
      expect(again).toEqual(summary)
      expect(await api.call('sequence:list', {})).toEqual(sequences)
    } finally {
      await api.close()
      await core.close()
    }
  })
})
