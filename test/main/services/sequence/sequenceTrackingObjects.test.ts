/**
 * Several objects in one sequence: keyframes name their object (`method.objectId`); tracking stores
 * one proposal per object and frame, tagged with that object, and no pixel belongs to two of them.
 */
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rleIou } from '../../../../src/common/mask'
import { generateSequence } from '../../../../src/common/synthetic/sequence'
import { createStudioCore, type StudioCore } from '../../../../src/main/api/studioCore'
import { objectIdOf } from '../../../../src/main/services/sequence/sequenceFrames'
import { rleOfStored, storedMaskFromBinary, type Project } from '../../../../src/main/services/store'
import { sequenceOfImages } from '../../../helpers/syntheticSequence'
import { inProcessClient, type StudioClient } from '../../api/workflowClients'

const FRAMES = 6
let core: StudioCore
let api: StudioClient
let project: Project

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sequence-objects-'))
  const sequence = generateSequence({ seed: 11, frames: FRAMES, targets: 2 })
  const { width, height } = sequence
  const frames = path.join(dataDir, 'frames')
  mkdirSync(frames)
  for (const [i, frame] of sequence.frames.entries()) await sharp(frame.rgb, { raw: { width, height, channels: 3 } }).png().toFile(path.join(frames, `${String(i).padStart(5, '0')}.png`))
  core = await createStudioCore({ host: 'cli', dataDir, log: () => {} })
  api = inProcessClient(core)
  const { importJob } = await api.call('project:create', { imagesRoot: frames, projectDir: path.join(dataDir, 'project') })
  await core.context.jobs.wait(importJob.id)
  project = core.context.requireSession().project
  const { imageIds } = sequenceOfImages(project, 'pair')
  const categoryId = (await api.call('category:create', { name: 'toy' })).id
  sequence.frames[0]!.masks.forEach((data, k) => {
    project.annotations.create({ imageId: imageIds[0]!, categoryId, mask: storedMaskFromBinary({ width, height, data }), status: 'accepted', source: 'manual', method: { objectId: k === 0 ? 'left' : 'right' } })
  })
}, 60_000)

afterAll(async () => {
  await api?.close()
  await core?.close()
})

describe('tracking several objects of a sequence', () => {
  it('stores per frame at most one proposal per object, tagged with its object id, never overlapping', async () => {
    const [sequence] = project.sequences.list()
    const categoryId = project.categories.list()[0]!.id
    const job = await api.call('sequence:track', { sequenceId: sequence!.id, categoryId })
    const done = await core.context.jobs.wait(job.id)
    expect(done.state).toBe('done')
    expect(done.report).toMatchObject({ keyframes: 2, spansComputed: 2 })
    let tagged = 0
    for (const frame of project.sequences.frames(sequence!.id).slice(1)) {
      const proposals = project.annotations.forImage(frame.imageId, { categoryId }).filter((a) => a.mask !== null)
      const ids = proposals.map(objectIdOf)
      expect(new Set(ids).size).toBe(ids.length)
      for (const id of ids) expect(['left', 'right']).toContain(id)
      tagged += ids.length
      if (proposals.length === 2) expect(rleIou(rleOfStored(proposals[0]!.mask!), rleOfStored(proposals[1]!.mask!))).toBe(0)
    }
    // More than one mask per frame on average: both objects are followed.
    expect(tagged).toBeGreaterThan(FRAMES - 1)
  }, 120_000)
})
