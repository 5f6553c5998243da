import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createStudioCore } from '../../../src/main/api/studioCore'
import { inProcessClient } from './workflowClients'

describe('calibration channels', () => {
  it('return the histogram with the prior before any review, accept nothing without proposals, and refuse bad thresholds', async () => {
    const core = await createStudioCore({ host: 'cli', dataDir: mkdtempSync(path.join(tmpdir(), 'calibration-api-')), log: () => {} })
    const api = inProcessClient(core)
    try {
      await api.call('project:openDemo', {})
      const [category] = await api.call('category:list', {})
      const histogram = await api.call('calibration:histogram', { categoryId: category!.id, bins: 10 })
      expect(histogram).toMatchObject({ kind: 'prior', accuracy: null, threshold: 0.78, above: 0, below: 0, decisions: 0, acceptAll: { accepted: 0, expectedWrong: 0 } })
      expect(histogram.counts).toEqual(new Array(10).fill(0))
      expect(histogram.report).toMatchObject({ ordersReview: false, heldOutAuroc: null, priorAuroc: null })
      expect(histogram.report.reason).toMatch(/0 of 10 decisions/)
      expect(await api.call('calibration:absentThreshold', { categoryId: category!.id, missRate: 0.05 })).toEqual({ missRate: 0.05, threshold: null, decisions: 0, present: 0, missed: 0 })
      await expect(api.call('calibration:absentThreshold', { categoryId: category!.id, missRate: 0.9 })).rejects.toThrow(/missRate/)
      expect(await api.call('calibration:acceptAll', { categoryId: category!.id, threshold: 0.5 })).toEqual({ accepted: 0, expectedWrong: 0 })
      await expect(api.call('calibration:acceptAll', { categoryId: category!.id, threshold: 1.5 })).rejects.toThrow(/threshold/)
    } finally {
      await api.close()
      await core.close()
    }
  })
})
