/**
 * Keeping the editor in step with the real core's habits: it announces every stored change (also
 * the renderer's own), announces an opened project before answering the request that opened it,
 * and has no history before a project is open.
 */
import { describe, expect, it, vi } from 'vitest'
import { coalesced } from '../../../src/renderer/src/editor/coalesce'
import { FakeStudio } from '../helpers/fakeStudio'
import { TestEditor } from '../helpers/TestEditor'

describe('the editor and the core, in step', () => {
  it('reads the history only once a project is open, so the welcome screen shows no error', async () => {
    const editor = new TestEditor()
    await editor.start()
    expect(editor.fake.requestsTo('history:state')).toHaveLength(0)
    expect(editor.session.notices).toEqual([])
    await editor.documents.openDemo()
    await editor.whenIdle()
    expect(editor.fake.requestsTo('history:state').length).toBeGreaterThan(0)
  })

  it('adopts a project announced before the answer that opened it once, keeping what it loaded', async () => {
    const fake = new FakeStudio()
    const editor = new TestEditor(fake)
    await editor.start()
    fake.hold('project:openDemo')
    const opening = editor.documents.openDemo()
    fake.project = { projectDir: '/projects/demo', name: 'Demo', imagesRoot: '/i', imageCount: 5, annotationCount: 0, isDemo: true, readOnly: null }
    fake.emit('project:changed', fake.project)
    // (whenIdle would wait for the held request too.)
    await vi.waitFor(() => expect(editor.doc.image?.image.id).toBe(1))
    editor.annotations.select(null)
    editor.updateSession({ activeCategoryId: 1, brushRadius: 30 })
    const opened = fake.requestsTo('image:get').length
    fake.releaseAll('project:openDemo')
    await opening
    await editor.whenIdle()
    // No second reset: the open image was not read again, the session kept its state.
    expect(fake.requestsTo('image:get')).toHaveLength(opened)
    expect(editor.doc.image?.image.id).toBe(1)
    expect(editor.session.brushRadius).toBe(30)
  })

  it('never lets a reload of the shown image override the image being opened', async () => {
    const editor = await TestEditor.withDemo()
    editor.fake.hold('image:get')
    const opening = editor.documents.openImage(2)
    // A change to image 1 announced late, while image 2 is on its way.
    editor.fake.emit('annotation:changed', { imageIds: [1], reason: 'review' })
    editor.fake.releaseAll('image:get')
    expect(await opening).toBe(true)
    await editor.whenIdle()
    expect(editor.doc.image?.image.id).toBe(2)
  })

  it('reads the open image once more, not once per event, when changes come in a burst', async () => {
    const editor = await TestEditor.withDemo()
    const before = editor.fake.requestsTo('image:get').length
    editor.fake.hold('image:get')
    for (let i = 0; i < 10; i++) editor.fake.emit('annotation:changed', { imageIds: [1], reason: 'propagation' })
    expect(editor.fake.heldCount('image:get')).toBe(1)
    editor.fake.release('image:get')
    await Promise.resolve()
    editor.fake.releaseAll('image:get')
    await editor.whenIdle()
    expect(editor.fake.requestsTo('image:get').length - before).toBe(2)
  })

  it('says what undo and redo did, in one notice that is replaced, not stacked', async () => {
    const editor = await TestEditor.withDemo()
    const mask = editor.fake.addAnnotation({ imageId: 1, status: 'proposed', score: 0.4 })
    await editor.documents.reloadImage()
    await editor.annotations.review(mask.id, 'accept')
    await editor.annotations.review(mask.id, 'reject')
    editor.press('Ctrl+Z')
    await editor.whenIdle()
    editor.press('Ctrl+Z')
    await editor.whenIdle()
    editor.press('Ctrl+Y')
    await editor.whenIdle()
    expect(editor.session.notices.map((n) => n.message)).toEqual(['Redone: Accept on img_001.jpg'])
    expect(editor.annotation(mask.id)?.status).toBe('accepted')
  })
})

describe('coalesced refreshes', () => {
  it('runs once more after a burst, and every caller waits for that last run', async () => {
    let runs = 0
    let release: () => void = () => {}
    const refresh = coalesced(async () => {
      runs++
      await new Promise<void>((resolve) => (release = resolve))
    })
    const first = refresh()
    const during = [refresh(), refresh(), refresh()]
    release()
    await Promise.resolve()
    await Promise.resolve()
    expect(runs).toBe(2)
    let settled = false
    void Promise.all(during).then(() => (settled = true))
    await Promise.resolve()
    expect(settled).toBe(false)
    release()
    await Promise.all([first, ...during])
    expect(runs).toBe(2)
  })
})
