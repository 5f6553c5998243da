import { describe, expect, it } from 'vitest'
import { StudioError } from '../../../src/common/ipc/result'
import { TestEditor } from '../helpers/TestEditor'

describe('SAM points tool', () => {
  it('adds a positive point on click and a negative one on right click or Alt+click, asking for a preview each time', async () => {
    const editor = await TestEditor.withDemo()
    editor.expectToBeIn('samPoints.idle')
    editor.click(100, 80)
    editor.expectToBeIn('samPoints.idle')
    editor.click(120, 90, { button: 'right' })
    editor.click(130, 95, { alt: true })
    await editor.whenIdle()

    const requests = editor.fake.requestsTo('segment:preview')
    expect(requests.map((r) => r.points.length)).toEqual([1, 2, 3])
    expect(requests[2]?.points).toEqual([
      { x: 100, y: 80, positive: true },
      { x: 120, y: 90, positive: false },
      { x: 130, y: 95, positive: false },
    ])
    expect(requests.every((r) => r.imageId === 1 && r.maskInput === undefined)).toBe(true)
    expect(new Set(requests.map((r) => r.requestId)).size).toBe(3)
    const prompts = editor.session.prompts
    expect(prompts?.preview?.requestId).toBe(requests[2]?.requestId)
    expect(prompts?.candidate).toBe(1)
    expect(prompts?.pending).toBe(false)
  })

  it('sends the points in image pixels whatever the zoom and pan', async () => {
    const editor = await TestEditor.withDemo()
    editor.camera.zoomBy({ x: 123, y: 77 } as never, 3.7)
    editor.camera.pan(-41, 17)
    editor.click(250.5, 120.25)
    await editor.whenIdle()
    const [request] = editor.fake.requestsTo('segment:preview')
    expect(request?.points[0]?.x).toBeCloseTo(250.5, 9)
    expect(request?.points[0]?.y).toBeCloseTo(120.25, 9)
  })

  it('turns a drag into a box prompt, keeping the points, and ignores clicks outside the image', async () => {
    const editor = await TestEditor.withDemo()
    editor.click(100, 80)
    editor.down(50, 40).move(120, 90)
    editor.expectToBeIn('samPoints.boxing')
    expect(editor.session.draftBox).toEqual({ x0: 50, y0: 40, x1: 120, y1: 90 })
    editor.move(30, 20).up(30, 20)
    editor.expectToBeIn('samPoints.idle')
    expect(editor.session.draftBox).toBeNull()
    editor.click(-5, 10)
    editor.click(401, 10)
    await editor.whenIdle()
    const requests = editor.fake.requestsTo('segment:preview')
    expect(requests).toHaveLength(2)
    expect(requests[1]?.box).toEqual({ x0: 30, y0: 20, x1: 50, y1: 40 })
    expect(requests[1]?.points).toHaveLength(1)
  })

  it('drops a preview reply older than the newest request', async () => {
    const editor = await TestEditor.withDemo()
    editor.fake.hold('segment:preview')
    editor.click(100, 80)
    editor.click(150, 120)
    expect(editor.fake.heldCount('segment:preview')).toBe(2)
    const [first, second] = editor.fake.requestsTo('segment:preview')
    // The newer request answers first, then the stale one arrives.
    editor.fake.release('segment:preview', 1)
    await Promise.resolve()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(editor.session.prompts?.preview?.requestId).toBe(second?.requestId)
    editor.fake.release('segment:preview', 0)
    await editor.whenIdle()
    expect(editor.session.prompts?.preview?.requestId).toBe(second?.requestId)
    expect(editor.session.prompts?.preview?.requestId).not.toBe(first?.requestId)
    expect(editor.prompts.droppedReplies).toBe(1)
  })

  it('cycles the candidates with Tab and Shift+Tab', async () => {
    const editor = await TestEditor.withDemo()
    editor.click(100, 80)
    await editor.whenIdle()
    expect(editor.session.prompts?.candidate).toBe(1)
    editor.press('Tab')
    expect(editor.session.prompts?.candidate).toBe(2)
    editor.press('Tab')
    expect(editor.session.prompts?.candidate).toBe(0)
    editor.press('Shift+Tab')
    expect(editor.session.prompts?.candidate).toBe(2)
  })

  it('commits the shown candidate to the active category with Enter and selects the new mask', async () => {
    const editor = await TestEditor.withDemo()
    const category = await editor.categories.create('cat')
    editor.click(100, 80)
    await editor.whenIdle()
    editor.press('Tab')
    editor.press('Enter')
    await editor.whenIdle()
    const [commit] = editor.fake.requestsTo('segment:commit')
    expect(commit).toEqual({ previewId: editor.fake.requestsTo('segment:commit')[0]?.previewId, candidate: 2, categoryId: category?.id })
    expect(editor.session.prompts).toBeNull()
    const stored = editor.doc.image?.annotations ?? []
    expect(stored).toHaveLength(1)
    expect(stored[0]?.categoryId).toBe(category?.id)
    expect(editor.session.selectedAnnotationId).toBe(stored[0]?.id)
    // The category counts were read again.
    expect(editor.doc.categories.find((c) => c.id === category?.id)?.annotationCount).toBe(1)
  })

  it('waits for the preview in flight when Enter comes before it, then commits that preview', async () => {
    const editor = await TestEditor.withDemo()
    editor.fake.hold('segment:preview')
    editor.click(100, 80)
    editor.press('Enter')
    expect(editor.fake.requestsTo('segment:commit')).toHaveLength(0)
    expect(editor.session.prompts?.commitRequested).toBe(true)
    editor.fake.releaseAll('segment:preview')
    await editor.whenIdle()
    const [preview] = editor.fake.requestsTo('segment:preview')
    expect(editor.fake.requestsTo('segment:commit')).toEqual([{ previewId: `preview-${preview?.requestId}`, candidate: 1, categoryId: 1 }])
  })

  it('clears the prompts with Esc, then the selection', async () => {
    const editor = await TestEditor.withDemo()
    const existing = editor.fake.addAnnotation({ imageId: 1 })
    await editor.documents.reloadImage()
    editor.annotations.select(existing.id)
    editor.click(100, 80)
    await editor.whenIdle()
    editor.press('Escape')
    expect(editor.session.prompts).toBeNull()
    expect(editor.session.selectedAnnotationId).toBe(existing.id)
    editor.press('Escape')
    expect(editor.session.selectedAnnotationId).toBeNull()
  })

  it('removes the newest prompt with Ctrl+Z instead of undoing a stored change', async () => {
    const editor = await TestEditor.withDemo()
    editor.click(100, 80).click(150, 90)
    await editor.whenIdle()
    editor.press('Ctrl+Z')
    await editor.whenIdle()
    expect(editor.session.prompts?.points).toEqual([{ x: 100, y: 80, positive: true }])
    expect(editor.fake.requestsTo('history:undo')).toHaveLength(0)
    expect(editor.fake.requestsTo('segment:preview').at(-1)?.points).toHaveLength(1)
    editor.press('Ctrl+Z')
    expect(editor.session.prompts).toBeNull()
    editor.press('Ctrl+Z')
    await editor.whenIdle()
    expect(editor.fake.requestsTo('history:undo')).toHaveLength(1)
  })

  it('shows a failed preview as a readable notice and is ready for the next click', async () => {
    const editor = await TestEditor.withDemo()
    editor.fake.failNext('segment:preview', new StudioError('model', 'the model is still loading'))
    editor.click(100, 80)
    await editor.whenIdle()
    expect(editor.session.notices.at(-1)).toMatchObject({ level: 'error', message: 'Segmenting failed: the model is still loading' })
    expect(editor.session.prompts?.pending).toBe(false)
    editor.click(110, 85)
    await editor.whenIdle()
    expect(editor.session.prompts?.preview).not.toBeNull()
  })

  it('refuses to commit without a category and says why', async () => {
    const fake = new (await import('../helpers/fakeStudio')).FakeStudio()
    fake.categories = []
    const editor = await TestEditor.withDemo(fake)
    editor.click(100, 80)
    await editor.whenIdle()
    editor.press('Enter')
    await editor.whenIdle()
    expect(fake.requestsTo('segment:commit')).toHaveLength(0)
    expect(editor.session.notices.at(-1)?.message).toMatch(/Create a category first/)
  })
})

describe('SAM box tool', () => {
  it('starts a new object with every box and refines it with negative right clicks', async () => {
    const editor = await TestEditor.withDemo()
    editor.press('Shift+S')
    editor.drag([10, 10], [100, 90])
    editor.click(50, 50, { button: 'right' })
    editor.drag([200, 150], [300, 250])
    editor.expectToBeIn('samBox.idle')
    await editor.whenIdle()
    const requests = editor.fake.requestsTo('segment:preview')
    expect(requests.map((r) => ({ box: r.box, points: r.points.length }))).toEqual([
      { box: { x0: 10, y0: 10, x1: 100, y1: 90 }, points: 0 },
      { box: { x0: 10, y0: 10, x1: 100, y1: 90 }, points: 1 },
      { box: { x0: 200, y0: 150, x1: 300, y1: 250 }, points: 0 },
    ])
  })

  it('clamps a box dragged past the image edge and treats a click as a positive point', async () => {
    const editor = await TestEditor.withDemo()
    editor.press('Shift+S')
    editor.drag([350, 250], [450, 350])
    editor.click(20, 30)
    await editor.whenIdle()
    const requests = editor.fake.requestsTo('segment:preview')
    expect(requests[0]?.box).toEqual({ x0: 350, y0: 250, x1: 400, y1: 300 })
    expect(requests[1]?.points).toEqual([{ x: 20, y: 30, positive: true }])
  })

  it('abandons the box being drawn when the tool changes', async () => {
    const editor = await TestEditor.withDemo()
    editor.press('Shift+S')
    editor.down(10, 10).move(80, 80)
    editor.expectToBeIn('samBox.dragging')
    editor.press('V')
    editor.expectToBeIn('select.idle')
    expect(editor.session.draftBox).toBeNull()
    expect(editor.fake.requestsTo('segment:preview')).toHaveLength(0)
  })
})
