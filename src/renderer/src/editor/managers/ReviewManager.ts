/**
 * Review mode: walks the proposals from the least to the most confident. Images come from
 * image:list (state 'to-review', order 'review': least confident image first); inside an image,
 * proposals go by ascending score. Decisions are queued, so pressing Enter three times quickly
 * decides three consecutive proposals, never the same one three times.
 */
import type { AnnotationInfo, ImageDetail } from '../../../../common/ipc/types'
import type { Editor } from '../Editor'
import type { ReviewState } from '../state'
import { findAnnotation, proposalsByConfidence } from './documentOps'

/** How many to-review images one refill reads (the contract's page limit). */
const REFILL_LIMIT = 500

export class ReviewManager {
  /** Proposals of each visited image as they were when first shown, so going back finds them. */
  private readonly walked = new Map<number, readonly number[]>()
  private chain: Promise<unknown> = Promise.resolve()

  constructor(private readonly editor: Editor) {}

  get state(): ReviewState | null {
    return this.editor.session.review
  }

  get active(): boolean {
    return this.state !== null
  }

  current(): AnnotationInfo | null {
    const review = this.state
    if (!review) return null
    return findAnnotation(this.editor.doc.image, review.proposals[review.proposalIndex] ?? null)
  }

  /** In review, new SAM prompts re-segment the proposal under review from its own mask. */
  correctionTarget(): number | null {
    const annotation = this.current()
    return annotation?.mask ? annotation.id : null
  }

  start(options: { learnFromCorrections?: boolean } = {}): Promise<void> {
    this.walked.clear()
    this.editor.store.batch(() => {
      this.editor.tools.setTool('samPoints')
      this.editor.updateSession({
        prompts: null,
        review: {
          queue: [],
          imageIndex: -1,
          proposals: [],
          proposalIndex: 0,
          learnFromCorrections: options.learnFromCorrections ?? false,
          finished: false,
        },
      })
    })
    return this.enqueue(() => this.forward())
  }

  stop(): void {
    if (!this.state) return
    this.editor.updateSession({ review: null, prompts: null })
  }

  setLearnFromCorrections(learnFromCorrections: boolean): void {
    const review = this.state
    if (review) this.editor.updateSession({ review: { ...review, learnFromCorrections } })
  }

  next(): Promise<void> {
    return this.enqueue(() => this.forward())
  }

  previous(): Promise<void> {
    return this.enqueue(() => this.backward())
  }

  accept(): Promise<void> {
    return this.enqueue(async () => {
      const annotation = this.current()
      if (!annotation) return this.forward()
      if (annotation.status === 'edited') {
        await this.learnFrom(annotation)
      } else if (annotation.status !== 'accepted') {
        if ((await this.editor.annotations.review(annotation.id, 'accept')) === undefined) return
      }
      await this.forward()
    })
  }

  reject(): Promise<void> {
    return this.decide('reject')
  }

  absent(): Promise<void> {
    return this.decide('absent')
  }

  /** A correction (SAM re-segmentation) was committed: it counts as accepting the corrected mask. */
  onCorrected(previousId: number, annotation: AnnotationInfo): Promise<void> {
    return this.enqueue(async () => {
      const review = this.state
      if (!review) return
      const proposals = review.proposals.map((id) => (id === previousId ? annotation.id : id))
      const imageId = review.queue[review.imageIndex]
      if (imageId !== undefined) this.walked.set(imageId, proposals)
      this.editor.updateSession({ review: { ...review, proposals } })
      await this.learnFrom(annotation)
      await this.forward()
    })
  }

  /** Propagation stored a proposal: its image joins the walk (at the end) if it is not in it yet. */
  onProposalAdded(annotation: AnnotationInfo): void {
    const review = this.state
    // Absent markers (no object found) are not proposals: nothing to review there.
    if (!review || annotation.status !== 'proposed' || review.queue.includes(annotation.imageId)) return
    this.editor.updateSession({ review: { ...review, queue: [...review.queue, annotation.imageId], finished: false } })
  }

  /**
   * The review calibration was refitted: the images not walked yet are walked in the new order
   * (least confident first); images already walked keep their place.
   */
  reorder(): Promise<void> {
    if (!this.state) return Promise.resolve()
    return this.enqueue(async () => {
      const page = await this.editor.attempt('Listing images to review', () =>
        this.editor.api.call('image:list', { offset: 0, limit: REFILL_LIMIT, state: 'to-review', order: 'review' }),
      )
      const review = this.state
      if (!page || !review) return
      const head = review.queue.slice(0, review.imageIndex + 1)
      const tail = review.queue.slice(review.imageIndex + 1)
      const passed = new Set(head)
      const ahead = page.items.map((item) => item.id).filter((id) => !passed.has(id) && !this.walked.has(id))
      const listed = new Set(ahead)
      const walkedAhead = tail.filter((id) => this.walked.has(id))
      const unlisted = tail.filter((id) => !this.walked.has(id) && !listed.has(id))
      this.editor.updateSession({ review: { ...review, queue: [...head, ...walkedAhead, ...ahead, ...unlisted] } })
    })
  }

  /** The open image was read again: if the proposal under review is gone, re-read the image's proposals. */
  onImageReloaded(detail: ImageDetail): void {
    const review = this.state
    if (!review || review.queue[review.imageIndex] !== detail.image.id) return
    if (this.current()) return
    const proposals = proposalsByConfidence(detail)
    this.walked.set(detail.image.id, proposals)
    this.editor.updateSession({ review: { ...review, proposals, proposalIndex: Math.min(review.proposalIndex, Math.max(0, proposals.length - 1)) } })
    this.selectCurrent()
  }

  private decide(action: 'reject' | 'absent'): Promise<void> {
    return this.enqueue(async () => {
      const annotation = this.current()
      if (annotation && annotation.status !== (action === 'reject' ? 'rejected' : 'absent')) {
        if ((await this.editor.annotations.review(annotation.id, action)) === undefined) return
      }
      await this.forward()
    })
  }

  private async learnFrom(annotation: AnnotationInfo): Promise<void> {
    if (!this.state?.learnFromCorrections || !annotation.mask) return
    if (!annotation.isReference) await this.editor.annotations.setReference(annotation.id, true)
    await this.editor.jobs.repropagate(annotation.categoryId)
  }

  private async forward(): Promise<void> {
    const review = this.state
    if (!review) return
    if (review.imageIndex >= 0 && review.proposalIndex + 1 < review.proposals.length) {
      this.moveTo(review.proposalIndex + 1)
      return
    }
    for (let index = review.imageIndex + 1; ; index++) {
      if (index >= (this.state?.queue.length ?? 0) && (await this.refill()) === 0) {
        const latest = this.state
        if (latest) this.editor.updateSession({ review: { ...latest, finished: true } })
        this.editor.notify('info', 'Review finished: no proposals left to review.')
        return
      }
      if (await this.enter(index, 'first')) return
      if (!this.state) return
    }
  }

  private async backward(): Promise<void> {
    const review = this.state
    if (!review) return
    if (review.proposalIndex > 0) {
      this.moveTo(review.proposalIndex - 1)
      return
    }
    for (let index = review.imageIndex - 1; index >= 0; index--) {
      if (await this.enter(index, 'last')) return
      if (!this.state) return
    }
  }

  private moveTo(proposalIndex: number): void {
    const review = this.state
    if (!review) return
    this.editor.store.batch(() => {
      this.resetTool()
      this.editor.updateSession({ review: { ...review, proposalIndex, finished: false }, prompts: null })
      this.selectCurrent()
    })
  }

  /**
   * Each proposal starts in the review's own tool (SAM points: a click corrects), whatever tool
   * corrected the previous one: a brush left active would paint on the next proposal by surprise.
   */
  private resetTool(): void {
    this.editor.tools.cancelActive()
    this.editor.tools.setTool('samPoints')
  }

  /**
   * Shows the queue's image `imageId` (undo went there): its proposals are read again and the
   * walk goes on from it. False when the image is not in the walk.
   */
  showImage(imageId: number): Promise<boolean> {
    const index = this.state?.queue.indexOf(imageId) ?? -1
    if (index < 0) return Promise.resolve(false)
    this.walked.delete(imageId)
    let shown = false
    return this.enqueue(async () => {
      shown = await this.enter(index, 'first')
    }).then(() => shown)
  }

  /** Opens the queue's image at `index`; false when it has nothing to review. */
  private async enter(index: number, at: 'first' | 'last'): Promise<boolean> {
    const imageId = this.state?.queue[index]
    if (imageId === undefined) return false
    if (this.editor.doc.image?.image.id !== imageId && !(await this.editor.documents.openImage(imageId))) return false
    const detail = this.editor.doc.image
    const review = this.state
    if (!detail || !review || detail.image.id !== imageId) return false
    const known = this.walked.get(imageId)
    const proposals = (known ?? proposalsByConfidence(detail)).filter((id) => detail.annotations.some((a) => a.id === id))
    if (!known) this.walked.set(imageId, proposals)
    if (proposals.length === 0) {
      this.editor.updateSession({ review: { ...review, imageIndex: index, proposals, proposalIndex: 0 } })
      return false
    }
    const proposalIndex = at === 'first' ? 0 : proposals.length - 1
    this.editor.store.batch(() => {
      this.resetTool()
      this.editor.updateSession({ review: { ...review, imageIndex: index, proposals, proposalIndex, finished: false }, prompts: null })
      this.selectCurrent()
    })
    return true
  }

  /** Appends the to-review images not walked yet; reviewed images leave that list, so offset 0 is right. */
  private async refill(): Promise<number> {
    const page = await this.editor.attempt('Listing images to review', () =>
      this.editor.api.call('image:list', { offset: 0, limit: REFILL_LIMIT, state: 'to-review', order: 'review' }),
    )
    const review = this.state
    if (!page || !review) return 0
    const known = new Set(review.queue)
    const added = page.items.map((item) => item.id).filter((id) => !known.has(id) && !this.walked.has(id))
    if (added.length > 0) this.editor.updateSession({ review: { ...review, queue: [...review.queue, ...added] } })
    return added.length
  }

  private selectCurrent(): void {
    const review = this.state
    this.editor.annotations.select(review?.proposals[review.proposalIndex] ?? null)
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.chain.then(step)
    this.chain = next.catch(() => undefined)
    return this.editor.track(next)
  }
}
