/**
 * Runs sequence tracking as background jobs for the open project and re-runs it after a
 * correction: when a frame of a tracked sequence changes by a person's hand (an edit, a review, a
 * reference, an undo), the tracking of that sequence is scheduled again, debounced, and runs as a
 * job (with the propagation's exclusive key: one writer of proposals at a time). Only the spans
 * the changed keyframes bound are tracked again (SequenceTrackingSession keeps the trackers).
 */
import { StudioError } from '../../common/ipc/result'
import type { JobInfo } from '../../common/ipc/dto/job'
import { SequenceTrackingSession } from '../services/sequence/sequenceTracking'
import type { Project } from '../services/store'
import type { ProjectSession, StudioContext } from './context'
import { annotationInfo, historyState } from './dto'

/** A burst of strokes on one frame becomes one re-run. */
export const RETRACK_DEBOUNCE_MS = 400

/** Reasons of 'annotation:changed' that a person caused (tracking's own are 'tracking'). */
const PERSON_REASONS = new Set(['segment', 'stroke', 'review', 'reference', 'category', 'undo', 'redo'])

export class SequenceTrackingHost {
  private readonly sessions = new WeakMap<Project, SequenceTrackingSession>()
  private readonly timers = new Map<string, NodeJS.Timeout>()

  constructor(
    private readonly context: StudioContext,
    private readonly debounceMs = RETRACK_DEBOUNCE_MS,
  ) {
    context.options.events.subscribe((event, payload) => {
      if (event !== 'annotation:changed') return
      const { imageIds, reason } = payload as { imageIds: readonly number[]; reason: string }
      if (PERSON_REASONS.has(reason)) this.onFramesChanged(imageIds)
    })
  }

  private sessionOf(project: Project): SequenceTrackingSession {
    let session = this.sessions.get(project)
    if (!session) this.sessions.set(project, (session = new SequenceTrackingSession(project)))
    return session
  }

  /** Starts tracking a category through a sequence as a background job. */
  start(session: ProjectSession, sequenceId: number, categoryId: number): JobInfo {
    const { project } = session
    const sequence = project.sequences.require(sequenceId)
    const category = project.categories.require(categoryId)
    const { events } = this.context.options
    const tracking = this.sessionOf(project)
    let jobId = ''
    const info = this.context.jobs.start({
      kind: 'propagation',
      label: `Track "${category.name}" in ${sequence.name}`,
      total: sequence.frameCount * 2,
      exclusiveKey: this.context.propagationKey(session),
      run: async (job) => {
        const runtime = await this.context.models.runtime()
        const report = await tracking.track(runtime, sequenceId, categoryId, job, (annotations, imageId) => {
          if (this.context.current?.project !== project) return
          for (const annotation of annotations) events.emit('proposal:added', { jobId, annotation: annotationInfo(project, annotation) })
          events.emit('annotation:changed', { imageIds: [imageId], reason: 'tracking' })
        })
        if (report.runId !== null && this.context.current?.project === project) events.emit('history:changed', historyState(project))
        return { ...report }
      },
    })
    jobId = info.id
    events.emit('sequence:tracking', { sequenceId, categoryId, jobId })
    return info
  }

  private onFramesChanged(imageIds: readonly number[]): void {
    const session = this.context.current
    if (!session || session.readOnly) return
    const tracking = this.sessions.get(session.project)
    if (!tracking) return
    for (const imageId of imageIds) {
      const frame = session.project.sequences.frameOfImage(imageId)
      if (!frame) continue
      for (const categoryId of tracking.trackedCategories(frame.sequenceId)) this.schedule(session, frame.sequenceId, categoryId)
    }
  }

  /** Tracks again after the debounce; while another propagation or tracking runs, waits for it. */
  private schedule(session: ProjectSession, sequenceId: number, categoryId: number): void {
    const key = `${sequenceId}:${categoryId}`
    clearTimeout(this.timers.get(key))
    const timer = setTimeout(() => {
      this.timers.delete(key)
      if (this.context.current !== session) return
      // An undo of a tracking run changes no keyframe: tracking it again would redo what was undone.
      if (!this.sessions.get(session.project)?.keyframesChanged(sequenceId, categoryId)) return
      try {
        this.start(session, sequenceId, categoryId)
      } catch (error) {
        if (error instanceof StudioError && error.code === 'conflict') this.schedule(session, sequenceId, categoryId)
        else this.context.options.log(`[studio] cannot re-track sequence ${sequenceId}`, error)
      }
    }, this.debounceMs)
    timer.unref?.()
    this.timers.set(key, timer)
  }

}
