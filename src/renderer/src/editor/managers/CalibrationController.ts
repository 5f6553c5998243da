/**
 * The review confidence panel's logic: per category, the histogram of the pending proposals'
 * (calibrated) confidence with the absent threshold on it, the counts above and below, how the
 * confidence in use did on the decisions so far, and "Accept all above X" with the number of
 * those the model expects to be wrong. Accepting is one step in the core's history, so one undo
 * brings every proposal back. Also the propagate dialog's "absent threshold for a miss rate".
 */
import type { CalibrationAbsentThresholdInfo } from '../../../../common/ipc/dto/calibration'
import type { Editor } from '../Editor'
import type { CalibrationView } from '../state'

export const DEFAULT_ACCEPT_ABOVE = 0.9
export const HISTOGRAM_BINS = 20

export class CalibrationController {
  private readonly latest = new Map<number, number>()

  constructor(private readonly editor: Editor) {}

  get view(): CalibrationView | null {
    return this.editor.session.calibration
  }

  /** Opens the panel on a category (the active one by default) and reads its histogram. */
  async open(categoryId = this.editor.session.activeCategoryId ?? this.editor.doc.categories[0]?.id): Promise<void> {
    if (categoryId === undefined || categoryId === null) return
    const acceptAbove = this.view?.acceptAbove ?? DEFAULT_ACCEPT_ABOVE
    this.editor.updateSession({ calibration: { categoryId, acceptAbove, histogram: this.view?.categoryId === categoryId ? this.view.histogram : null } })
    await this.load()
  }

  close(): void {
    this.editor.updateSession({ calibration: null })
  }

  /** Reads the histogram again (the core refits the category's model first); a late answer for an older request is dropped. */
  async load(): Promise<void> {
    const view = this.view
    if (!view) return
    const request = this.editor.nextRequestId()
    this.latest.set(view.categoryId, request)
    const histogram = await this.editor.attempt('Reading the review confidence', () =>
      this.editor.api.call('calibration:histogram', { categoryId: view.categoryId, bins: HISTOGRAM_BINS, acceptAbove: view.acceptAbove }),
    )
    const current = this.view
    if (!histogram || !current || current.categoryId !== view.categoryId || this.latest.get(view.categoryId) !== request) return
    this.editor.updateSession({ calibration: { ...current, histogram } })
  }

  /** Sets X of "Accept all above X" (clamped to 0..1) and reads the preview for it. */
  async setAcceptAbove(value: number): Promise<void> {
    const view = this.view
    if (!view || !Number.isFinite(value)) return
    this.editor.updateSession({ calibration: { ...view, acceptAbove: Math.min(1, Math.max(0, value)) } })
    await this.load()
  }

  /** Accepts every pending proposal at or above X as one undo step, and says how many the model expects to be wrong. */
  async acceptAll(): Promise<void> {
    const view = this.view
    if (!view) return
    const result = await this.editor.attempt('Accepting the confident proposals', () =>
      this.editor.api.call('calibration:acceptAll', { categoryId: view.categoryId, threshold: view.acceptAbove }),
    )
    if (!result) return
    if (result.accepted === 0) {
      this.editor.notify('info', `No proposal at or above ${view.acceptAbove.toFixed(2)} to accept.`)
    } else {
      this.editor.notify('info', `Accepted ${result.accepted} proposals at or above ${view.acceptAbove.toFixed(2)}; the model expects about ${formatExpected(result.expectedWrong)} of them to be wrong. Undo brings them all back.`)
    }
    // The core announces the changed images and history, which reloads the list, the image and this histogram.
    await this.load()
  }

  /** For the propagate dialog: the absent threshold meeting `missRate` on the category's decisions (threshold null: not enough yet). */
  async absentThreshold(categoryId: number, missRate: number): Promise<CalibrationAbsentThresholdInfo | undefined> {
    return this.editor.attempt('Reading the absent threshold', () => this.editor.api.call('calibration:absentThreshold', { categoryId, missRate }))
  }
}

/** "0.4" below one, whole numbers above: an expectation, not a count. */
export function formatExpected(value: number): string {
  return value < 1 ? value.toFixed(1) : String(Math.round(value))
}
