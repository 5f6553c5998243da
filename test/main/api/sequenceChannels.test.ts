import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createStudioCore } from '../../../src/main/api/studioCore'
import { inProcessClient } from './workflowClients'

describe('sequence channels', () => {
  it('list the sequences of the open project and their frames in frame order, and refuse a bad id', async () => {
    const core = await createStudioCore({ host: 'cli', dataDir: mkdtempSync(path.join(tmpdir(), 'sequence-api-')), log: () => {} })
    const api = inProcessClient(core)
    try {
      await api.call('project:openDemo', {})
      expect(await api.call('sequence:list', {})).toEqual([])
      const page = await api.call('image:list', { offset: 0, limit: 3 })
      const [a, b, c] = page.items.map((item) => item.id)
      const { project } = core.context.requireSession()
      const created = project.sequences.create({ name: 'burst', source: 'frames', fps: 4 }, [
        { imageId: c!, frameIndex: 0, timestampMs: 0 },
        { imageId: a!, frameIndex: 1, timestampMs: 250 },
        { imageId: b!, frameIndex: 2, timestampMs: 500 },
      ])
      expect(await api.call('sequence:list', {})).toEqual([{ ...created, frameCount: 3 }])
      expect(await api.call('sequence:frames', { sequenceId: created.id })).toEqual([
        { frameIndex: 0, imageId: c, timestampMs: 0 },
        { frameIndex: 1, imageId: a, timestampMs: 250 },
        { frameIndex: 2, imageId: b, timestampMs: 500 },
      ])
      await expect(api.call('sequence:frames', { sequenceId: created.id + 1 })).rejects.toThrow(/sequence .* does not exist/)
      await expect(api.call('sequence:frames', { sequenceId: -1 } as never)).rejects.toThrow(/sequenceId/)
    } finally {
      await api.close()
      await core.close()
    }
  })
})
