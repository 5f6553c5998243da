import { describe, expect, it } from 'vitest'
import { FakeStudio } from '../helpers/fakeStudio'
import { TestEditor } from '../helpers/TestEditor'

/** Demo with 6 images: a reference on image 1, proposals on 2..6 with these scores. */
async function reviewSetup(scores: Record<number, number> = { 2: 0.9, 3: 0.3, 4: 0.6, 5: 0.1, 6: 0.75 }) {
  const fake = new FakeStudio({ images: 6 })
  fake.addAnnotation({ imageId: 1, isReference: true })
  const proposals = Object.entries(scores).map(([imageId, score]) =>
    fake.addAnnotation({ imageId: Number(imageId), status: 'proposed', source: 'persam-f', score, box: { x0: 100, y0: 80, x1: 220, y1: 200 } }),
  )
  const editor = await TestEditor.withDemo(fake)
  return { editor, fake, proposals }
}

function currentScore(editor: TestEditor): number | null {
  return editor.review.current()?.score ?? null
}

describe('review mode', () => {
  it('walks the proposals from the least to the most confident, accepting with Enter', async () => {
    const { editor, fake } = await reviewSetup()
    await editor.review.start()
    const seen: (number | null)[] = []
    for (let i = 0; i < 5; i++) {
      seen.push(currentScore(editor))
      expect(editor.session.selectedAnnotationId).toBe(editor.review.current()?.id)
      editor.press('Enter')
      await editor.whenIdle()
    }
    expect(seen).toEqual([0.1, 0.3, 0.6, 0.75, 0.9])
    expect([...fake.annotations.values()].filter((a) => a.source === 'persam-f').every((a) => a.status === 'accepted')).toBe(true)
    expect(editor.session.review?.finished).toBe(true)
    expect(editor.session.notices.at(-1)?.message).toMatch(/Review finished/)
  })

  it('orders several proposals inside one image by score as well', async () => {
    const fake = new FakeStudio({ images: 3 })
    fake.addAnnotation({ imageId: 2, status: 'proposed', score: 0.8 })
    fake.addAnnotation({ imageId: 2, status: 'proposed', score: 0.2 })
    fake.addAnnotation({ imageId: 3, status: 'proposed', score: 0.5 })
    const editor = await TestEditor.withDemo(fake)
    await editor.review.start()
    const seen: (number | null)[] = []
    for (let i = 0; i < 3; i++) {
      seen.push(currentScore(editor))
      await editor.review.next()
    }
    expect(seen).toEqual([0.2, 0.8, 0.5])
  })

  it('rejects with X, marks absent with A, skips with D / Right and goes back with Left', async () => {
    const { editor, fake } = await reviewSetup()
    editor.press('Shift+R')
    await editor.whenIdle()
    const first = editor.review.current()!
    editor.press('X')
    await editor.whenIdle()
    const second = editor.review.current()!
    editor.press('A')
    await editor.whenIdle()
    const third = editor.review.current()!
    editor.press('D')
    await editor.whenIdle()
    editor.press('ArrowRight')
    await editor.whenIdle()
    expect(currentScore(editor)).toBe(0.9)
    editor.press('ArrowLeft')
    editor.press('ArrowLeft')
    editor.press('ArrowLeft')
    await editor.whenIdle()
    // Back on the proposal that was marked absent; its decision is shown, not lost.
    expect(editor.review.current()?.id).toBe(second.id)
    expect(editor.review.current()?.status).toBe('absent')
    expect(fake.annotations.get(first.id)?.status).toBe('rejected')
    expect(fake.annotations.get(second.id)?.status).toBe('absent')
    expect(fake.annotations.get(third.id)?.status).toBe('proposed')
    expect(fake.requestsTo('annotation:review').map((r) => r.action)).toEqual(['reject', 'absent'])
  })

  it('decides consecutive proposals when keys come faster than the core answers', async () => {
    const { editor, fake } = await reviewSetup()
    await editor.review.start()
    fake.hold('annotation:review')
    editor.press('Enter')
    editor.press('X')
    editor.press('Space')
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 0))
      fake.releaseAll('annotation:review')
      fake.hold('annotation:review')
    }
    fake.releaseAll('annotation:review')
    await editor.whenIdle()
    const decided = fake.requestsTo('annotation:review')
    expect(decided.map((r) => r.action)).toEqual(['accept', 'reject', 'accept'])
    expect(new Set(decided.map((r) => r.annotationId)).size).toBe(3)
    expect(decided.map((r) => fake.annotations.get(r.annotationId)?.score)).toEqual([0.1, 0.3, 0.6])
  })

  it('does not accept when Space was held to pan', async () => {
    const { editor, fake } = await reviewSetup()
    await editor.review.start()
    const before = editor.review.current()?.id
    editor.keyDownOnly('Space')
    editor.dragScreen([300, 300], [340, 300])
    editor.keyUpOnly('Space')
    await editor.whenIdle()
    expect(fake.requestsTo('annotation:review')).toHaveLength(0)
    expect(editor.review.current()?.id).toBe(before)
  })

  it('corrects a proposal with a click: re-segments from its mask, commits as a replacement, marks it edited', async () => {
    const { editor, fake } = await reviewSetup()
    await editor.review.start()
    const proposal = editor.review.current()!
    editor.click(150, 150)
    editor.click(230, 210)
    await editor.whenIdle()
    const previews = fake.requestsTo('segment:preview')
    expect(previews.map((p) => p.maskInput)).toEqual([{ annotationId: proposal.id }, { annotationId: proposal.id }])
    editor.press('Enter')
    await editor.whenIdle()
    expect(fake.requestsTo('segment:commit')).toEqual([
      { previewId: `preview-${previews[1]?.requestId}`, candidate: 1, categoryId: proposal.categoryId, replaceAnnotationId: proposal.id },
    ])
    expect(fake.annotations.get(proposal.id)?.status).toBe('edited')
    // Committing the correction was the decision: the walk moved on, with no separate accept.
    expect(fake.requestsTo('annotation:review')).toHaveLength(0)
    expect(currentScore(editor)).toBe(0.3)
  })

  it('corrects a proposal with a brush stroke (edited), then Enter moves on without overriding it', async () => {
    const { editor, fake } = await reviewSetup()
    await editor.review.start()
    const proposal = editor.review.current()!
    editor.press('B')
    editor.drag([210, 190], [240, 220])
    await editor.whenIdle()
    expect(editor.annotation(proposal.id)?.status).toBe('edited')
    editor.press('Enter')
    await editor.whenIdle()
    expect(fake.requestsTo('annotation:review')).toHaveLength(0)
    expect(fake.annotations.get(proposal.id)?.status).toBe('edited')
    expect(currentScore(editor)).toBe(0.3)
  })

  it('with "learn from corrections", makes an accepted correction a reference and propagates again to the unreviewed images', async () => {
    const { editor, fake } = await reviewSetup()
    editor.updateSession({ lastPropagation: { categoryId: 1, method: 'persam', scope: 'all', maxInstances: 2, absentThreshold: 0.2 } })
    await editor.review.start({ learnFromCorrections: true })
    const proposal = editor.review.current()!
    editor.click(150, 150)
    await editor.whenIdle()
    editor.press('Enter')
    await editor.whenIdle()
    expect(fake.requestsTo('annotation:setReference')).toEqual([{ annotationId: proposal.id, isReference: true }])
    expect(fake.requestsTo('propagation:start')).toEqual([{ categoryId: 1, method: 'persam', scope: 'not-reviewed', maxInstances: 2, absentThreshold: 0.2 }])
    // Plain accepts teach nothing.
    editor.press('Enter')
    await editor.whenIdle()
    expect(fake.requestsTo('annotation:setReference')).toHaveLength(1)
  })

  it('queues a re-propagation asked for while one runs, and starts it when that one ends', async () => {
    const { editor, fake } = await reviewSetup()
    const running = await editor.jobs.startPropagation({ categoryId: 1, method: 'persam-f', scope: 'unlabeled', maxInstances: 1, absentThreshold: null })
    await editor.review.start({ learnFromCorrections: true })
    editor.press('B')
    editor.drag([210, 190], [240, 220])
    await editor.whenIdle()
    editor.press('Enter')
    await editor.whenIdle()
    expect(fake.requestsTo('propagation:start')).toHaveLength(1)
    fake.finishJob(running!.id, { images: 0, proposals: 0, absent: 0, failed: [], secondsPerImage: 0 })
    await editor.whenIdle()
    expect(fake.requestsTo('propagation:start').map((r) => r.scope)).toEqual(['unlabeled', 'not-reviewed'])
  })

  it('adds images whose proposals arrive during the review to the end of the walk', async () => {
    const { editor, fake } = await reviewSetup({ 2: 0.5 })
    const job = await editor.jobs.startPropagation({ categoryId: 1, method: 'persam-f', scope: 'unlabeled', maxInstances: 1, absentThreshold: null })
    await editor.review.start()
    fake.runPropagation(job!.id, { 4: 0.05, 5: 0.7 })
    await editor.whenIdle()
    expect(editor.session.review?.queue).toEqual([2, 4, 5])
    const seen: (number | null)[] = []
    for (let i = 0; i < 3; i++) {
      seen.push(currentScore(editor))
      editor.press('Enter')
      await editor.whenIdle()
    }
    expect(seen).toEqual([0.5, 0.05, 0.7])
  })

  it('leaves review with Shift+R; Esc there only clears prompts', async () => {
    const { editor } = await reviewSetup()
    await editor.review.start()
    editor.click(150, 150)
    await editor.whenIdle()
    editor.press('Escape')
    expect(editor.session.prompts).toBeNull()
    editor.press('Escape')
    expect(editor.review.active).toBe(true)
    editor.press('Shift+R')
    expect(editor.review.active).toBe(false)
    expect(editor.session.review).toBeNull()
  })
})
