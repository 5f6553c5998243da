/**
 * The review confidence panel's logic against the fake core: the histogram of the pending
 * proposals with its threshold and counts, "Accept all above X" with the expected number wrong,
 * one undo bringing every accepted proposal back, and the absent threshold for a miss rate.
 */
import { describe, expect, it } from 'vitest'
import { DEFAULT_ACCEPT_ABOVE, formatExpected } from '../../../src/renderer/src/editor/managers/CalibrationController'
import { FakeStudio } from '../helpers/fakeStudio'
import { TestEditor } from '../helpers/TestEditor'

/** Five proposals of the demo category, one per image, at these scores. */
async function withProposals(scores: readonly number[]) {
  const fake = new FakeStudio()
  const editor = await TestEditor.withDemo(fake)
  const proposals = scores.map((score, i) => fake.addAnnotation({ imageId: i + 1, status: 'proposed', source: 'persam-f', score, box: { x0: 10, y0: 10, x1: 50, y1: 50 } }))
  return { fake, editor, proposals }
}

describe('review confidence panel', () => {
  it('shows the pending proposals binned, with the threshold and the counts above and below', async () => {
    const { editor } = await withProposals([0.12, 0.45, 0.55, 0.93, 0.97])
    await editor.calibration.open()
    const view = editor.session.calibration!
    expect(view.categoryId).toBe(1)
    expect(view.acceptAbove).toBe(DEFAULT_ACCEPT_ABOVE)
    expect(view.histogram).toMatchObject({ threshold: 0.5, above: 3, below: 2, acceptAll: { accepted: 2 } })
    expect(view.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(5)
    expect(view.histogram!.counts[2]).toBe(1)
    expect(view.histogram!.counts[19]).toBe(1)
    editor.calibration.close()
    expect(editor.session.calibration).toBeNull()
  })

  it('previews and accepts all above X as one step, says how many it expects wrong, and one undo restores them', async () => {
    const { fake, editor, proposals } = await withProposals([0.12, 0.45, 0.55, 0.8, 0.9])
    await editor.calibration.open()
    await editor.calibration.setAcceptAbove(0.7)
    expect(editor.session.calibration!.histogram!.acceptAll.accepted).toBe(2)
    expect(editor.session.calibration!.histogram!.acceptAll.expectedWrong).toBeCloseTo(0.3, 10)
    await editor.calibration.acceptAll()
    await editor.whenIdle()
    expect(fake.calls.filter((c) => c.channel === 'calibration:acceptAll').map((c) => c.request)).toEqual([{ categoryId: 1, threshold: 0.7 }])
    expect(proposals.map((p) => fake.annotations.get(p.id)!.status)).toEqual(['proposed', 'proposed', 'proposed', 'accepted', 'accepted'])
    expect(editor.session.notices.at(-1)!.message).toMatch(/Accepted 2 proposals at or above 0\.70; the model expects about 0\.3 of them to be wrong/)
    expect(editor.session.calibration!.histogram).toMatchObject({ above: 1, below: 2, acceptAll: { accepted: 0 } })

    await editor.history.undo()
    await editor.whenIdle()
    expect(proposals.map((p) => fake.annotations.get(p.id)!.status)).toEqual(['proposed', 'proposed', 'proposed', 'proposed', 'proposed'])
    expect(editor.session.calibration!.histogram).toMatchObject({ above: 3, below: 2, acceptAll: { accepted: 2 } })
  })

  it('clamps X to 0..1 and ignores what is not a number', async () => {
    const { editor } = await withProposals([0.5])
    await editor.calibration.open()
    await editor.calibration.setAcceptAbove(1.7)
    expect(editor.session.calibration!.acceptAbove).toBe(1)
    await editor.calibration.setAcceptAbove(Number.NaN)
    expect(editor.session.calibration!.acceptAbove).toBe(1)
  })

  it('asks the core for the absent threshold of a miss rate', async () => {
    const { fake, editor } = await withProposals([0.5])
    fake.absentThresholdAnswer = { threshold: 0.41, decisions: 30, present: 20, missed: 1 }
    expect(await editor.calibration.absentThreshold(1, 0.05)).toEqual({ missRate: 0.05, threshold: 0.41, decisions: 30, present: 20, missed: 1 })
  })

  it('writes an expectation with one decimal below one, whole above', () => {
    expect([formatExpected(0.34), formatExpected(3.6)]).toEqual(['0.3', '4'])
  })
})
