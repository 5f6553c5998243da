/**
 * The core refits the review calibration as decisions come in and announces it with
 * 'calibration:changed': the editor then reads the image list again, walks the images it has not
 * reached yet in the new order, and re-reads the confidence panel of that category.
 */
import { describe, expect, it } from 'vitest'
import { FakeStudio } from '../helpers/fakeStudio'
import { TestEditor } from '../helpers/TestEditor'

/** Demo with 6 images: proposals of category 1 on 2..6 with these scores. */
async function reviewSetup(scores: Record<number, number>) {
  const fake = new FakeStudio({ images: 6 })
  const proposals = Object.entries(scores).map(([imageId, score]) =>
    fake.addAnnotation({ imageId: Number(imageId), status: 'proposed', source: 'persam-f', score, box: { x0: 100, y0: 80, x1: 220, y1: 200 } }),
  )
  const editor = await TestEditor.withDemo(fake)
  return { editor, fake, proposals }
}

/** What a refit does in the core: new review scores, without any annotation event. */
function rescoreSilently(fake: FakeStudio, scores: Record<number, number>): void {
  for (const annotation of [...fake.annotations.values()]) {
    const score = scores[annotation.imageId]
    if (score !== undefined) fake.annotations.set(annotation.id, { ...annotation, score })
  }
}

describe('a refitted review calibration', () => {
  it('reorders the images the review has not reached yet, and reads the list again', async () => {
    const { editor, fake } = await reviewSetup({ 2: 0.9, 3: 0.3, 4: 0.6, 5: 0.1, 6: 0.75 })
    await editor.review.start()
    expect(editor.session.review!.queue).toEqual([5, 3, 4, 6, 2])
    rescoreSilently(fake, { 2: 0.2, 6: 0.25 })
    const listReads = fake.requestsTo('image:list').length
    fake.emit('calibration:changed', { categoryId: 1 })
    await editor.whenIdle()
    // The current image stays first; the rest follow the new scores.
    expect(editor.session.review!.queue).toEqual([5, 2, 6, 3, 4])
    expect(fake.requestsTo('image:list').length).toBeGreaterThan(listReads)
    const seen: (number | null)[] = []
    for (let i = 0; i < 5; i++) {
      seen.push(editor.review.current()?.score ?? null)
      editor.press('Enter')
      await editor.whenIdle()
    }
    expect(seen).toEqual([0.1, 0.2, 0.25, 0.3, 0.6])
  })

  it('re-reads the confidence panel of that category only', async () => {
    const { editor, fake } = await reviewSetup({ 2: 0.9, 3: 0.3 })
    await editor.calibration.open(1)
    const histogramReads = () => fake.requestsTo('calibration:histogram').length
    const before = histogramReads()
    fake.emit('calibration:changed', { categoryId: 2 })
    await editor.whenIdle()
    expect(histogramReads()).toBe(before)
    rescoreSilently(fake, { 2: 0.95 })
    fake.emit('calibration:changed', { categoryId: 1 })
    await editor.whenIdle()
    expect(histogramReads()).toBe(before + 1)
    expect(editor.session.calibration!.histogram!.counts[19]).toBe(1)
  })
})
