import { describe, expect, it } from 'vitest'
import { matchShortcut } from '../../../src/renderer/src/editor/keymap'
import { inReviewOrder } from '../../../src/renderer/src/editor/managers/documentOps'
import { FakeStudio } from '../helpers/fakeStudio'
import { keyInput, TestEditor } from '../helpers/TestEditor'

/** Proposals on images 2 and 3 (two on image 2, the later one less confident). */
async function reviewing() {
  const fake = new FakeStudio({ images: 4 })
  const box = { x0: 100, y0: 80, x1: 220, y1: 200 }
  const sure = fake.addAnnotation({ imageId: 2, status: 'proposed', source: 'persam', score: 0.9, box })
  const unsure = fake.addAnnotation({ imageId: 2, status: 'proposed', source: 'persam', score: 0.2, box: { x0: 250, y0: 50, x1: 320, y1: 120 } })
  const third = fake.addAnnotation({ imageId: 3, status: 'proposed', source: 'persam', score: 0.5, box })
  const editor = await TestEditor.withDemo(fake)
  editor.press('Shift+R')
  await editor.whenIdle()
  return { editor, fake, sure, unsure, third }
}

describe('review: the tool on the next proposal', () => {
  it('returns to the SAM points tool after a brush correction, so the next proposal is not painted by surprise', async () => {
    const { editor, unsure } = await reviewing()
    expect(editor.review.current()?.id).toBe(unsure.id)
    editor.press('B')
    editor.drag([300, 100], [330, 110])
    await editor.whenIdle()
    expect(editor.fake.annotations.get(unsure.id)?.status).toBe('edited')
    editor.press('Enter')
    await editor.whenIdle()
    expect(editor.review.current()).not.toBeNull()
    editor.expectToBeIn('samPoints.idle')

    // The same on stepping with D and back with the left arrow.
    editor.press('E')
    editor.press('D')
    await editor.whenIdle()
    editor.expectToBeIn('samPoints.idle')
    editor.press('V')
    editor.press('ArrowLeft')
    await editor.whenIdle()
    editor.expectToBeIn('samPoints.idle')
  })
})

describe('undo says which image changed and goes there', () => {
  it('names the image of a brush stroke undone from another image, and opens it', async () => {
    const editor = await TestEditor.withDemo()
    await editor.documents.openImage(2)
    const mask = editor.fake.addAnnotation({ imageId: 2, box: { x0: 100, y0: 100, x1: 150, y1: 140 } })
    await editor.documents.reloadImage()
    editor.annotations.select(mask.id)
    editor.press('B')
    editor.drag([140, 120], [180, 130])
    await editor.whenIdle()
    await editor.documents.openImage(1)

    editor.press('Ctrl+Z')
    await editor.whenIdle()
    expect(editor.session.notices.map((n) => n.message)).toEqual(['Undone: Brush stroke on img_002.jpg'])
    expect(editor.doc.image?.image.id).toBe(2)
    editor.press('Ctrl+Y')
    await editor.whenIdle()
    expect(editor.session.notices.map((n) => n.message)).toEqual(['Redone: Brush stroke on img_002.jpg'])
  })

  it('in review, goes back to the image whose decision was undone and reviews it again', async () => {
    const { editor, sure, unsure, third } = await reviewing()
    editor.press('Enter')
    await editor.whenIdle()
    editor.press('Enter')
    await editor.whenIdle()
    expect(editor.review.current()?.id).toBe(third.id)
    expect(editor.fake.annotations.get(sure.id)?.status).toBe('accepted')

    editor.press('Ctrl+Z')
    await editor.whenIdle()
    expect(editor.session.notices.map((n) => n.message)).toEqual(['Undone: Accept on img_002.jpg'])
    expect(editor.doc.image?.image.id).toBe(2)
    expect(editor.review.current()?.id).toBe(sure.id)
    expect(editor.fake.annotations.get(unsure.id)?.status).toBe('accepted')
  })
})

describe('A means "object absent" in and out of review', () => {
  it('is one command in both modes, and no longer steps to the previous image', async () => {
    const down = (review: boolean) => matchShortcut(keyInput('A', false), { review, phase: 'down' })?.command
    expect(down(false)).toBe(down(true))

    const editor = await TestEditor.withDemo()
    await editor.documents.openImage(2)
    editor.press('A')
    await editor.whenIdle()
    expect(editor.doc.image?.image.id).toBe(2)
    expect(editor.fake.requestsTo('annotation:markImageAbsent')).toEqual([{ imageId: 2, categoryId: 1 }])
    expect(editor.doc.image?.annotations.map((a) => a.status)).toEqual(['absent'])
  })
})

describe('annotation cards in review', () => {
  it('come in the walk order, so proposal 1 of 2 is the first card', async () => {
    const { editor, sure, unsure } = await reviewing()
    const detail = editor.doc.image!
    expect(detail.annotations.map((a) => a.id)).toEqual([sure.id, unsure.id])
    const cards = inReviewOrder(detail.annotations, editor.session.review!.proposals)
    expect(cards.map((a) => a.id)).toEqual([unsure.id, sure.id])
    expect(cards[editor.session.review!.proposalIndex]?.id).toBe(editor.review.current()?.id)
  })
})
