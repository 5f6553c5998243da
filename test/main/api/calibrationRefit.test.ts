/**
 * The review calibration learns as decisions come in: review decisions made through the API
 * refit the category's model (debounced) without the confidence panel ever asking, the review
 * order follows the learned model, and 'calibration:changed' announces it. Propagation's own
 * writes and a read-only session schedule nothing.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createMask } from '../../../src/common/mask'
import type { ProposalSignals } from '../../../src/common/persam/signals'
import { createStudioCore, type StudioCore } from '../../../src/main/api/studioCore'
import { storedMaskFromBinary, type Project } from '../../../src/main/services/store/index'
import { addImages } from '../services/store/helpers'
import { inProcessClient } from './workflowClients'

const signals = (stability: number): ProposalSignals => ({ peak: 0.9, peakValue: 0.8, predictedIou: 0.9, featureSimilarity: 0.95, stability, areaFraction: 0.05, areaRatio: 1, components: 1, borderContact: 0, candidateRank: 0 })

function square(): ReturnType<typeof storedMaskFromBinary> {
  const mask = createMask(64, 48)
  for (let y = 0; y < 20; y++) for (let x = 0; x < 20; x++) mask.data[y * 64 + x] = 1
  return storedMaskFromBinary(mask)
}

/**
 * 40 new images with one stored proposal each, as a propagation leaves them. The engine's score
 * runs against the truth (good proposals, the even ones, score low); stability tells them apart.
 */
function misleadingProposals(project: Project, categoryId: number) {
  return addImages(project, 40).map((image, i) => {
    const good = i % 2 === 0
    const score = good ? 0.5 + (i % 7) / 100 : 0.6 + (i % 7) / 100
    const stability = good ? 0.92 + (i % 5) / 100 : 0.5 + (i % 5) / 25
    return project.annotations.create({ imageId: image.id, categoryId, mask: square(), status: 'proposed', source: 'persam-f', score, method: { signals: signals(stability) } })
  })
}

/** Resolves once the stored model of the category was fitted on `decisions` decisions. */
function fittedOn(core: StudioCore, project: Project, categoryId: number, decisions: number): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (project.calibration.load(categoryId)?.decisions !== decisions) return
      unsubscribe()
      resolve()
    }
    const unsubscribe = core.events.subscribe((event) => {
      if (event === 'calibration:changed') check()
    })
    check()
  })
}

async function studioWithProposals() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'calibration-refit-'))
  const core = await createStudioCore({ host: 'cli', dataDir, log: () => {} })
  const api = inProcessClient(core)
  const summary = await api.call('project:openDemo', {})
  const category = await api.call('category:create', { name: 'cup' })
  const project = core.context.current!.project
  const proposals = misleadingProposals(project, category.id)
  return { core, api, project, projectDir: summary.projectDir, categoryId: category.id, proposals }
}

describe('the review calibration, refitted as decisions come in', () => {
  it('learns from decisions made through the API, reorders the review queue and announces it', async () => {
    const { core, api, project, categoryId, proposals } = await studioWithProposals()
    try {
      const reviewOrder = async () => (await api.call('image:list', { offset: 0, limit: 100, categoryId, state: 'to-review', order: 'review' })).items.map((item) => item.id)
      const pending = proposals.slice(30)
      const badFirst = pending.filter((_, i) => i % 2 === 1).map((p) => p.imageId)
      const decide = async (from: number, to: number) => {
        for (let i = from; i < to; i++) await api.call('annotation:review', { annotationId: proposals[i]!.id, action: i % 2 === 0 ? 'accept' : 'reject' })
      }
      expect(project.calibration.load(categoryId)).toBeNull()
      // The engine puts the good proposals (even ones, low scores) first.
      const good = new Set(proposals.filter((_, i) => i % 2 === 0).map((p) => p.imageId))
      expect((await reviewOrder()).slice(0, 5).every((id) => good.has(id))).toBe(true)

      await decide(0, 20)
      await fittedOn(core, project, categoryId, 20)
      await decide(20, 30)
      await fittedOn(core, project, categoryId, 30)
      expect(api.eventsOf('calibration:changed')).toContainEqual({ categoryId })
      const model = project.calibration.load(categoryId)!
      expect(model.kind).toBe('signals')
      // The learned model puts the bad proposals first (no calibration:histogram was called so far).
      expect((await reviewOrder()).slice(0, 5).sort()).toEqual(badFirst.sort())

      // An undone decision is unlearned too.
      await api.call('history:undo', {})
      await fittedOn(core, project, categoryId, 29)

      // The panel re-reading after the event refits to the same model: no second announcement.
      const announced = api.eventsOf('calibration:changed').length
      const histogram = await api.call('calibration:histogram', { categoryId, bins: 10 })
      expect(histogram.decisions).toBe(29)
      expect(api.eventsOf('calibration:changed')).toHaveLength(announced)
    } finally {
      await api.close()
      await core.close()
    }
  })

  it('schedules no refit for propagation or tracking writes, nor in a read-only session', async () => {
    const { core, api, project, projectDir, categoryId, proposals } = await studioWithProposals()
    try {
      const imageIds = proposals.map((p) => p.imageId)
      core.events.emit('annotation:changed', { imageIds, reason: 'propagation' })
      core.events.emit('annotation:changed', { imageIds, reason: 'tracking' })
      expect(core.calibrationRefits.scheduled()).toEqual([])

      // A person's decision on the same images does.
      await api.call('annotation:review', { annotationId: proposals[0]!.id, action: 'accept' })
      expect(core.calibrationRefits.scheduled()).toEqual([categoryId])
      await fittedOn(core, project, categoryId, 1)
      expect(core.calibrationRefits.scheduled()).toEqual([])

      await api.call('project:close', {})
      await api.call('project:open', { projectDir, readOnly: true })
      expect(core.context.current!.readOnly).not.toBeNull()
      core.events.emit('annotation:changed', { imageIds, reason: 'review' })
      core.events.emit('annotation:changed', { imageIds, reason: 'undo' })
      expect(core.calibrationRefits.scheduled()).toEqual([])
    } finally {
      await api.close()
      await core.close()
    }
  })
})
