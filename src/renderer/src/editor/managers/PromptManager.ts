/**
 * SAM prompts on the open image: every change sends a segment:preview with a fresh request id;
 * a reply older than the newest request is dropped, so a slow answer never overwrites a newer
 * mask. Enter commits the shown candidate (waiting for the newest preview if it is in flight).
 */
import { MAX_PROMPT_POINTS } from '../../../../common/ipc/limits'
import type { PromptPoint, SegmentPreview } from '../../../../common/ipc/types'
import type { Editor } from '../Editor'
import { clampBox, isInsideImage, roundBox, roundPoint, type ImageBox, type ImagePoint } from '../geometry'
import type { PromptState } from '../state'
import { findAnnotation, upsertAnnotation } from './documentOps'

export class PromptManager {
  /** Replies dropped because a newer request was sent meanwhile (for tests and diagnostics). */
  droppedReplies = 0

  constructor(private readonly editor: Editor) {}

  get state(): PromptState | null {
    return this.editor.session.prompts
  }

  addPoint(at: ImagePoint, positive: boolean): void {
    const detail = this.editor.doc.image
    const point = roundPoint(at)
    if (!detail || !isInsideImage(point, detail.image)) return
    const prompts = this.current()
    if (!prompts || prompts.points.length >= MAX_PROMPT_POINTS) return
    this.change({ ...prompts, points: [...prompts.points, { x: point.x, y: point.y, positive }] })
  }

  /** Sets the box prompt; `fresh` drops earlier points and box first (the box tool). */
  setBox(box: ImageBox, fresh = false): void {
    const detail = this.editor.doc.image
    if (!detail) return
    const clamped = clampBox(roundBox(box), detail.image)
    if (!clamped) return
    if (fresh) this.clear()
    const prompts = this.current()
    if (prompts) this.change({ ...prompts, box: clamped })
  }

  /** Removes the newest point (or the box when there is no point); false when nothing was left. */
  removeLast(): boolean {
    const prompts = this.state
    if (!prompts) return false
    if (prompts.points.length > 0) {
      const points = prompts.points.slice(0, -1)
      if (points.length === 0 && !prompts.box) this.clear()
      else this.change({ ...prompts, points })
      return true
    }
    if (prompts.box) {
      this.clear()
      return true
    }
    return false
  }

  clear(): void {
    if (this.state || this.editor.session.draftBox) this.editor.updateSession({ prompts: null, draftBox: null })
  }

  cycleCandidate(step: 1 | -1): void {
    const prompts = this.state
    const count = prompts?.preview?.candidates.length ?? 0
    if (!prompts || count < 2) return
    this.editor.updateSession({ prompts: { ...prompts, candidate: (prompts.candidate + step + count) % count } })
  }

  /** Stores the shown candidate, as a new annotation or as the correction of the one being corrected. */
  async commit(): Promise<void> {
    const prompts = this.state
    if (!prompts) return
    if (prompts.pending) {
      this.editor.updateSession({ prompts: { ...prompts, commitRequested: true } })
      return
    }
    const preview = prompts.preview
    if (!preview) return
    const corrected = findAnnotation(this.editor.doc.image, prompts.correcting)
    const categoryId = corrected?.categoryId ?? this.editor.session.activeCategoryId
    if (categoryId === null) {
      this.editor.notify('error', 'Create a category first: the mask needs one (Categories panel).', { cause: { kind: 'no-category' } })
      return
    }
    const annotation = await this.editor.attempt('Saving the mask', () =>
      this.editor.api.call('segment:commit', {
        previewId: preview.previewId,
        candidate: prompts.candidate,
        categoryId,
        ...(corrected ? { replaceAnnotationId: corrected.id } : {}),
      }),
    )
    if (!annotation) return
    this.editor.store.batch(() => {
      const detail = this.editor.doc.image
      if (detail) this.editor.updateDoc({ image: upsertAnnotation(detail, annotation, corrected?.id) })
      // Only clear the prompts this commit came from; new clicks may have started a new object.
      if (this.state === prompts || this.state?.latestRequestId === prompts.latestRequestId) this.editor.updateSession({ prompts: null })
      this.editor.updateSession({ selectedAnnotationId: annotation.id })
    })
    this.editor.afterAnnotationsChanged()
    if (corrected) await this.editor.review.onCorrected(corrected.id, annotation)
  }

  /** Prompts for the open image, starting a new set (a correction of the reviewed proposal in review). */
  private current(): PromptState | null {
    const detail = this.editor.doc.image
    if (!detail) return null
    const existing = this.state
    if (existing && existing.imageId === detail.image.id) return existing
    const correcting = this.editor.review.correctionTarget()
    return {
      imageId: detail.image.id,
      points: [],
      box: null,
      correcting,
      preview: null,
      candidate: 0,
      latestRequestId: 0,
      pending: false,
      commitRequested: false,
    }
  }

  private change(prompts: PromptState): void {
    const requestId = this.editor.nextRequestId()
    const sent: PromptState = { ...prompts, latestRequestId: requestId, pending: true, commitRequested: false }
    this.editor.updateSession({ prompts: sent })
    this.editor.track(this.requestPreview(sent, requestId))
  }

  private async requestPreview(prompts: PromptState, requestId: number): Promise<void> {
    const points: PromptPoint[] = prompts.points.map((p) => ({ x: p.x, y: p.y, positive: p.positive }))
    const preview = await this.editor.attempt('Segmenting', () =>
      this.editor.api.call('segment:preview', {
        requestId,
        imageId: prompts.imageId,
        points,
        ...(prompts.box ? { box: prompts.box } : {}),
        ...(prompts.correcting !== null ? { maskInput: { annotationId: prompts.correcting } } : {}),
      }),
    )
    const latest = this.state
    if (!latest || latest.imageId !== prompts.imageId || latest.latestRequestId !== requestId) {
      this.droppedReplies++
      return
    }
    if (!preview) {
      this.editor.updateSession({ prompts: { ...latest, pending: false, commitRequested: false } })
      return
    }
    if (preview.requestId !== requestId) {
      this.droppedReplies++
      return
    }
    this.accept(latest, preview)
  }

  private accept(latest: PromptState, preview: SegmentPreview): void {
    const candidate = Math.min(Math.max(0, preview.recommended), Math.max(0, preview.candidates.length - 1))
    const next: PromptState = { ...latest, preview, candidate, pending: false, commitRequested: false }
    this.editor.updateSession({ prompts: next })
    if (latest.commitRequested) this.editor.track(this.commit())
  }
}
