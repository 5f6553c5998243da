/**
 * Sequence tracking in the studio with the toy model on a synthetic 16-frame sequence: keyframes
 * come from references and corrections, a correction re-runs only the spans it bounds (in the
 * background), results replace earlier untouched ones, and each run is one undo step.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TimelineFrame } from '../../../../src/common/ipc/dto/sequence'
import type { JobInfo } from '../../../../src/common/ipc/dto/job'
import { createStudioCore, type StudioCore } from '../../../../src/main/api/studioCore'
import { objectIdOf, sequenceKeyframes } from '../../../../src/main/services/sequence/sequenceFrames'
import { storedMaskFromBinary, type Project } from '../../../../src/main/services/store'
import { inProcessClient, type StudioClient } from '../../api/workflowClients'
import { sequenceOfImages, writeSequenceFrames } from '../../../helpers/syntheticSequence'

const FRAMES = 16

let core: StudioCore
let api: StudioClient
let project: Project
let sequenceId: number
let categoryId: number
let imageIds: number[]

async function finished(job: JobInfo): Promise<Record<string, unknown>> {
  const done = await core.context.jobs.wait(job.id)
  if (done.state !== 'done') throw new Error(`job ${done.label} ended ${done.state}: ${done.error}`)
  return done.report as Record<string, unknown>
}

/** The next tracking job the studio starts by itself (after a correction). */
function nextTrackingJob(): Promise<JobInfo> {
  return new Promise((resolve) => {
    const stop = core.events.subscribe((event, payload) => {
      if (event !== 'sequence:tracking') return
      stop()
      resolve(core.context.jobs.list().find((job) => job.id === (payload as { jobId: string }).jobId)!)
    })
  })
}

const annotationsOf = (frame: number) => project.annotations.forImage(imageIds[frame]!, { categoryId })
const timeline = () => api.call('sequence:timeline', { sequenceId, categoryId })

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sequence-tracking-'))
  const { truth } = await writeSequenceFrames(path.join(dataDir, 'frames'), { seed: 7, frames: FRAMES })
  core = await createStudioCore({ host: 'cli', dataDir, log: () => {} })
  api = inProcessClient(core)
  const { importJob } = await api.call('project:create', { imagesRoot: path.join(dataDir, 'frames'), projectDir: path.join(dataDir, 'project') })
  await core.context.jobs.wait(importJob.id)
  project = core.context.requireSession().project
  ;({ imageIds, sequence: { id: sequenceId } } = sequenceOfImages(project, 'walk'))
  categoryId = (await api.call('category:create', { name: 'target' })).id
  const reference = project.annotations.create({ imageId: imageIds[0]!, categoryId, mask: storedMaskFromBinary(truth[0]!), status: 'accepted', source: 'manual' })
  project.references.setReference(reference.id, true)
  // A mask a person drew on frame 6 is a keyframe too.
  project.annotations.create({ imageId: imageIds[6]!, categoryId, mask: storedMaskFromBinary(truth[6]!), status: 'accepted', source: 'manual' })
}, 60_000)

afterAll(async () => {
  await api?.close()
  await core?.close()
})

describe('sequence tracking in the studio', () => {
  it('tracks from the keyframes (reference and drawn mask) and shows every frame on the timeline', async () => {
    const keyframes = sequenceKeyframes(project, sequenceId, categoryId)
    expect([...keyframes.objects.get('1')!.keys()]).toEqual([0, 6])
    const report = await finished(await api.call('sequence:track', { sequenceId, categoryId }))
    // Spans: 0 forward to 6, 6 backward to 0, 6 forward to the end.
    expect(report).toMatchObject({ frames: FRAMES, keyframes: 2, spansComputed: 3, spansReused: 0, stored: FRAMES - 2 })
    const frames = await timeline()
    expect(frames.map((f) => f.frameIndex)).toEqual([...Array(FRAMES).keys()])
    expect(frames[0]).toMatchObject({ state: 'keyframe', confidence: 1, imageId: imageIds[0] })
    expect(frames[6]!.state).toBe('keyframe')
    for (const frame of frames.filter((f) => f.frameIndex !== 0 && f.frameIndex !== 6)) {
      expect(['proposed', 'flagged', 'absent']).toContain(frame.state)
      expect(frame.confidence).toBeGreaterThanOrEqual(0)
      if (frame.state === 'flagged') expect(frame.reason).toMatch(/confidence|jumped|elsewhere/)
      // One result per frame: the stored proposal or the absent verdict, never both.
      expect(annotationsOf(frame.frameIndex)).toHaveLength(1)
    }
  }, 120_000)

  it('a correction on a frame re-runs only the spans it bounds, in the background, replacing untouched results as one undo step', async () => {
    const earlier = new Map(imageIds.map((id, frame) => [frame, annotationsOf(frame).map((a) => a.id)]))
    const proposal = annotationsOf(13).find((a) => a.mask !== null)
    const corrected = proposal ?? annotationsOf(13)[0]!
    const rerun = nextTrackingJob()
    // A brush stroke on frame 13's proposal makes it 'edited': a keyframe.
    if (proposal) await api.call('annotation:stroke', { annotationId: proposal.id, mode: 'brush', points: [{ x: 20, y: 20 }], radius: 6 })
    else await api.call('annotation:stroke', { imageId: imageIds[13]!, categoryId, mode: 'brush', points: [{ x: 60, y: 60 }], radius: 12 })
    const report = await finished(await rerun)
    // Keyframes 0, 6, 13: the spans 6->13, 13->6 and 13->end are new; 0->6 and 6->0 are reused.
    expect(report).toMatchObject({ keyframes: 3, spansComputed: 3, spansReused: 2 })
    const frames: TimelineFrame[] = await timeline()
    expect(frames[13]!.state).toBe('keyframe')
    // Frames 1..5 keep their stored results (nothing bounded by 13 reaches them).
    for (let frame = 1; frame <= 5; frame++) expect(annotationsOf(frame).map((a) => a.id)).toEqual(earlier.get(frame))
    // Frames after 6 got new results in place of the untouched ones where they changed, never next to them.
    const after = [7, 8, 9, 10, 11, 12, 14, 15]
    const changed = after.filter((frame) => JSON.stringify(annotationsOf(frame).map((a) => a.id)) !== JSON.stringify(earlier.get(frame)))
    expect(changed.length).toBe(report.stored)
    for (const frame of after) expect(annotationsOf(frame)).toHaveLength(1)
    expect(changed.length).toBeGreaterThan(0)
    // The re-run is one undo step: undoing it brings back exactly the earlier results.
    const undone = await api.call('history:undo', {})
    expect(undone?.label).toMatch(/Propagate/)
    for (const frame of changed) expect(annotationsOf(frame).map((a) => a.id)).toEqual(earlier.get(frame))
    expect(annotationsOf(13).some((a) => a.id === corrected.id && a.status === 'edited')).toBe(true)
  }, 120_000)

  it('keyframes are references and what people made or corrected; an accepted proposal is a decision, not a keyframe', async () => {
    const proposal3 = annotationsOf(3).find((a) => a.status === 'proposed')!
    await api.call('annotation:review', { annotationId: proposal3.id, action: 'accept' })
    expect(core.context.jobs.list().filter((job) => job.state === 'running')).toEqual([])
    const rerun = nextTrackingJob()
    // A person saying the object is not on frame 9 makes it an empty keyframe.
    await api.call('annotation:markImageAbsent', { imageId: imageIds[9]!, categoryId })
    const keyframes = sequenceKeyframes(project, sequenceId, categoryId).objects.get('1')!
    expect([...keyframes.keys()].sort((a, b) => a - b)).toEqual([0, 6, 9, 13])
    expect(keyframes.get(9)!.mask().data.some((v) => v === 1)).toBe(false)
    const report = await finished(await rerun)
    expect(report).toMatchObject({ keyframes: 4 })
    const frames = await timeline()
    expect(frames[3]).toMatchObject({ state: 'accepted' })
    expect(frames[9]).toMatchObject({ state: 'keyframe', confidence: 1 })
    // The re-run left the accepted proposal on frame 3 as it was.
    expect(annotationsOf(3).map((a) => [a.id, a.status])).toEqual([[proposal3.id, 'accepted']])
  }, 120_000)

  it('a SAM correction of a tracked proposal keeps its object id (so it stays that object\'s keyframe)', async () => {
    const proposal = project.annotations.create({
      imageId: imageIds[15]!,
      categoryId: (await api.call('category:create', { name: 'second' })).id,
      mask: annotationsOf(13)[0]!.mask,
      status: 'proposed',
      source: 'persam',
      method: { method: 'persam', objectId: 'car-2', track: { state: 'proposed' } },
    })
    const preview = await api.call('segment:preview', { requestId: 1, imageId: imageIds[15]!, points: [{ x: 100, y: 70, positive: true }] })
    const corrected = await api.call('segment:commit', { previewId: preview.previewId, candidate: 0, categoryId: proposal.categoryId, replaceAnnotationId: proposal.id })
    expect(corrected.status).toBe('edited')
    expect(objectIdOf(project.annotations.require(proposal.id))).toBe('car-2')
  }, 60_000)

  it('a tracking run a quit left running is ended on the next open, not resumed as an image propagation', async () => {
    const run = project.runs.create({ method: 'persam', categoryId, params: { sequenceId, tracking: true, objects: 1 }, imageIds: [imageIds[2]!, imageIds[3]!] })
    project.runs.start(run.id)
    const dir = project.dir
    await api.call('project:close', {})
    await api.call('project:open', { projectDir: dir })
    project = core.context.requireSession().project
    await core.context.requireSession().checked
    const deadline = Date.now() + 30_000
    while (['queued', 'interrupted', 'running'].includes(project.runs.require(run.id).state) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
    expect(project.runs.require(run.id).state).toBe('cancelled')
  }, 60_000)
})
