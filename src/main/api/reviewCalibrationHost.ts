/**
 * Refits a category's review calibration as people's decisions come in: after an accept, reject,
 * correction, "absent" mark, or their undo/redo on an image, each category with a proposal there
 * is refitted once the decisions pause (debounced; at most `maxWaitMs` late while they keep
 * coming). Propagation's and tracking's own writes never schedule a refit, nor does a read-only
 * session. When a refit changes the stored model or the review scores, 'calibration:changed'
 * tells the renderer to read the review order and the confidence panel again.
 */
import { refitCalibrationChanges } from '../services/calibration/reviewCalibration'
import type { ProjectSession, StudioContext } from './context'

/** Long enough for a burst of strokes or quick accepts to become one refit. */
export const REFIT_DEBOUNCE_MS = 500
/** While decisions keep coming faster than the debounce, the order still follows them this often. */
export const REFIT_MAX_WAIT_MS = 3000

/** Reasons of 'annotation:changed' that carry a person's review decision ('propagation' and 'tracking' do not). */
const DECISION_REASONS = new Set(['review', 'segment', 'stroke', 'category', 'undo', 'redo'])

interface PendingRefit {
  readonly session: ProjectSession
  readonly firstAt: number
  timer: NodeJS.Timeout
}

/**
 * Refits the category now and announces it when anything the review queue or the confidence
 * panel shows changed. A second refit on the same decisions changes nothing (the fit is
 * deterministic), so the panel re-reading after the event does not announce again.
 */
export function refitAndAnnounce(context: StudioContext, session: ProjectSession, categoryId: number): void {
  const { changed } = refitCalibrationChanges(session.project, categoryId)
  if (changed && context.current === session) context.options.events.emit('calibration:changed', { categoryId })
}

export class ReviewCalibrationHost {
  private readonly pending = new Map<number, PendingRefit>()
  private readonly unsubscribe: () => void

  constructor(
    private readonly context: StudioContext,
    private readonly debounceMs = REFIT_DEBOUNCE_MS,
    private readonly maxWaitMs = REFIT_MAX_WAIT_MS,
    private readonly now: () => number = Date.now,
  ) {
    this.unsubscribe = context.options.events.subscribe((event, payload) => {
      if (event !== 'annotation:changed') return
      const { imageIds, reason } = payload as { imageIds: readonly number[]; reason: string }
      if (DECISION_REASONS.has(reason)) this.onDecisions(imageIds)
    })
  }

  /** The categories waiting for a refit. */
  scheduled(): number[] {
    return [...this.pending.keys()]
  }

  /** Stops listening and drops the refits not run yet. */
  dispose(): void {
    this.unsubscribe()
    for (const { timer } of this.pending.values()) clearTimeout(timer)
    this.pending.clear()
  }

  private onDecisions(imageIds: readonly number[]): void {
    const session = this.context.current
    if (!session || session.readOnly || !session.project.isOpen) return
    const categories = new Set<number>()
    for (const imageId of imageIds) {
      for (const annotation of session.project.annotations.forImage(imageId)) {
        if (annotation.source !== 'manual' && annotation.score !== null) categories.add(annotation.categoryId)
      }
    }
    for (const categoryId of categories) this.schedule(session, categoryId)
  }

  private schedule(session: ProjectSession, categoryId: number): void {
    const previous = this.pending.get(categoryId)
    if (previous) clearTimeout(previous.timer)
    const firstAt = previous?.session === session ? previous.firstAt : this.now()
    const delay = Math.max(0, Math.min(this.debounceMs, firstAt + this.maxWaitMs - this.now()))
    const timer = setTimeout(() => this.run(categoryId), delay)
    timer.unref?.()
    this.pending.set(categoryId, { session, firstAt, timer })
  }

  private run(categoryId: number): void {
    const refit = this.pending.get(categoryId)
    this.pending.delete(categoryId)
    // The project was closed or another one opened meanwhile: its decisions are refitted when its panel opens.
    if (!refit || this.context.current !== refit.session || !refit.session.project.isOpen) return
    try {
      refitAndAnnounce(this.context, refit.session, categoryId)
    } catch (error) {
      this.context.options.log(`[studio] cannot refit the review calibration of category ${categoryId}`, error)
    }
  }
}
