/**
 * Changes to stored annotations: review decisions, reference flag, category, delete, and brush
 * or eraser strokes. Each applies the core's answer to the open image; strokes are sent one
 * after another so an eraser stroke never overtakes the brush stroke drawn before it.
 */
import type { AnnotationInfo } from '../../../../common/ipc/types'
import type { Editor } from '../Editor'
import type { StrokeState } from '../state'
import { findAnnotation, removeAnnotation, upsertAnnotation } from './documentOps'

export type ReviewAction = 'accept' | 'reject' | 'absent' | 'delete'

export class AnnotationManager {
  private strokeQueue: Promise<unknown> = Promise.resolve()

  constructor(private readonly editor: Editor) {}

  selected(): AnnotationInfo | null {
    return findAnnotation(this.editor.doc.image, this.editor.session.selectedAnnotationId)
  }

  select(annotationId: number | null): void {
    if (this.editor.session.selectedAnnotationId !== annotationId) this.editor.updateSession({ selectedAnnotationId: annotationId })
  }

  async review(annotationId: number, action: ReviewAction): Promise<AnnotationInfo | null | undefined> {
    const verb = { accept: 'Accepting', reject: 'Rejecting', absent: 'Marking as absent', delete: 'Deleting' }[action]
    const result = await this.editor.attempt(`${verb} the annotation`, () => this.editor.api.call('annotation:review', { annotationId, action }))
    if (result === undefined) return undefined
    this.apply(result, annotationId)
    return result
  }

  async toggleReference(annotationId: number): Promise<void> {
    const annotation = findAnnotation(this.editor.doc.image, annotationId)
    if (!annotation) return
    if (!annotation.mask) {
      this.editor.notify('error', 'An absent marker has no mask and cannot be a reference.')
      return
    }
    const result = await this.editor.attempt('Changing the reference', () =>
      this.editor.api.call('annotation:setReference', { annotationId, isReference: !annotation.isReference }),
    )
    if (result) this.apply(result, annotationId)
  }

  async setReference(annotationId: number, isReference: boolean): Promise<void> {
    const result = await this.editor.attempt('Adding the reference', () => this.editor.api.call('annotation:setReference', { annotationId, isReference }))
    if (result) this.apply(result, annotationId)
  }

  async setCategory(annotationId: number, categoryId: number): Promise<void> {
    const result = await this.editor.attempt('Changing the category', () => this.editor.api.call('annotation:setCategory', { annotationId, categoryId }))
    if (result) this.apply(result, annotationId)
  }

  async markImageAbsent(): Promise<void> {
    const detail = this.editor.doc.image
    const categoryId = this.editor.session.activeCategoryId
    if (!detail) return
    if (categoryId === null) {
      this.editor.notify('error', 'Create a category first: "absent" is said of one (Categories panel).', { cause: { kind: 'no-category' } })
      return
    }
    const result = await this.editor.attempt('Marking the image as absent', () =>
      this.editor.api.call('annotation:markImageAbsent', { imageId: detail.image.id, categoryId }),
    )
    if (result) this.apply(result, result.id)
  }

  /** Sends a finished stroke; resolves with the updated annotation (undefined on failure). */
  stroke(stroke: StrokeState): Promise<AnnotationInfo | undefined> {
    const send = async (): Promise<AnnotationInfo | undefined> => {
      const result = await this.editor.attempt(stroke.mode === 'brush' ? 'Painting' : 'Erasing', () =>
        this.editor.api.call('annotation:stroke', {
          annotationId: stroke.annotationId,
          mode: stroke.mode,
          points: stroke.points.map((p) => ({ x: p.x, y: p.y })),
          radius: stroke.radius,
        }),
      )
      if (result) this.apply(result, stroke.annotationId)
      return result
    }
    const next = this.strokeQueue.then(send)
    this.strokeQueue = next.catch(() => undefined)
    return this.editor.track(next)
  }

  /** Puts the core's answer into the open image: an updated annotation, or null when it was deleted. */
  private apply(result: AnnotationInfo | null, annotationId: number): void {
    const detail = this.editor.doc.image
    this.editor.store.batch(() => {
      if (detail) this.editor.updateDoc({ image: result ? upsertAnnotation(detail, result, annotationId) : removeAnnotation(detail, annotationId) })
      if (!result && this.editor.session.selectedAnnotationId === annotationId) this.editor.updateSession({ selectedAnnotationId: null })
    })
    this.editor.afterAnnotationsChanged()
  }
}
