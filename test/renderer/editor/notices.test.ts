import { describe, expect, it } from 'vitest'
import { FakeStudio } from '../helpers/fakeStudio'
import { TestEditor } from '../helpers/TestEditor'

/** The demo without categories, a click previewed and Enter pressed: "Create a category first". */
async function withoutCategory() {
  const fake = new FakeStudio()
  fake.categories = []
  const editor = await TestEditor.withDemo(fake)
  editor.click(100, 80)
  await editor.whenIdle()
  editor.press('Enter')
  await editor.whenIdle()
  const messages = () => editor.session.notices.map((n) => n.message)
  expect(messages()).toEqual([expect.stringMatching(/Create a category first/)])
  return { editor, fake, messages }
}

describe('notices close when their cause ends', () => {
  it('"Create a category first" stays through dialogs and closes when a category is created', async () => {
    const { editor, messages } = await withoutCategory()
    editor.openDialog('help')
    editor.openDialog(null)
    expect(messages()).toHaveLength(1)
    await editor.categories.create('dog')
    expect(messages()).toEqual([])
  })

  it('"Create a category first" closes when the project closes', async () => {
    const { editor, messages } = await withoutCategory()
    await editor.documents.closeProject()
    expect(editor.doc.project).toBeNull()
    expect(messages()).toEqual([])
  })

  it('keeps notices without a cause when the project closes (a failure still needs reading)', async () => {
    const { editor, messages } = await withoutCategory()
    editor.notify('error', 'Saving the mask failed: the disk is full')
    await editor.documents.closeProject()
    expect(messages()).toEqual(['Saving the mask failed: the disk is full'])
  })

  it('"Select a mask first" closes when a mask is selected', async () => {
    const editor = await TestEditor.withDemo()
    const mask = editor.fake.addAnnotation({ imageId: 1 })
    await editor.documents.reloadImage()
    editor.press('B')
    editor.drag([10, 10], [50, 50])
    await editor.whenIdle()
    expect(editor.session.notices.map((n) => n.message)).toEqual([expect.stringMatching(/Select a mask to paint on first/)])
    editor.annotations.select(mask.id)
    expect(editor.session.notices).toEqual([])
  })

  it('"has no reference yet" closes when the category gets a reference', async () => {
    const editor = await TestEditor.withDemo()
    const mask = editor.fake.addAnnotation({ imageId: 1 })
    await editor.documents.reloadImage()
    await editor.jobs.startPropagation({ categoryId: 1, method: 'persam', scope: 'all', maxInstances: 1, absentThreshold: null })
    expect(editor.session.notices.map((n) => n.message)).toEqual([expect.stringMatching(/"dog" has no reference yet/)])
    await editor.annotations.toggleReference(mask.id)
    await editor.whenIdle()
    expect(editor.session.notices).toEqual([])
  })
})

describe('repeated notices', () => {
  it('merges the same notice into one with a count', async () => {
    const { editor } = await withoutCategory()
    editor.press('Enter')
    await editor.whenIdle()
    editor.press('Enter')
    await editor.whenIdle()
    expect(editor.session.notices).toHaveLength(1)
    expect(editor.session.notices[0]).toMatchObject({ level: 'error', count: 3, message: expect.stringMatching(/Create a category first/) })
  })

  it('counts identical messages only: different ones stay apart', async () => {
    const editor = await TestEditor.withDemo()
    editor.notify('error', 'Painting failed: gone')
    editor.notify('info', 'Painting failed: gone')
    editor.notify('error', 'Erasing failed: gone')
    editor.notify('error', 'Painting failed: gone')
    expect(editor.session.notices.map((n) => [n.level, n.message, n.count])).toEqual([
      ['info', 'Painting failed: gone', 1],
      ['error', 'Erasing failed: gone', 1],
      ['error', 'Painting failed: gone', 2],
    ])
  })
})
