import { describe, expect, it } from 'vitest'
import { imageToScreen } from '../../../src/renderer/src/editor/camera'
import { imagePoint } from '../../../src/renderer/src/editor/geometry'
import { createMask } from '../../../src/common/mask'
import { maskToRle } from '../helpers/fakeMasks'
import { TestEditor } from '../helpers/TestEditor'

async function editorWithSelectedMask() {
  const editor = await TestEditor.withDemo()
  const target = editor.fake.addAnnotation({ imageId: 1, box: { x0: 100, y0: 100, x1: 150, y1: 140 } })
  await editor.documents.reloadImage()
  editor.annotations.select(target.id)
  return { editor, target }
}

describe('brush and eraser tools', () => {
  it('paints one stroke on the selected mask, in image pixels, with the current radius', async () => {
    const { editor, target } = await editorWithSelectedMask()
    editor.camera.zoomBy(imageToScreen(editor.session.camera, imagePoint(120, 120)), 3)
    editor.camera.pan(35, -12)
    editor.press('B')
    editor.press(']')
    const radius = editor.session.brushRadius
    editor.down(140, 120)
    editor.expectToBeIn('brush.painting')
    editor.move(150, 120).move(160, 121).move(170, 125)
    expect(editor.session.stroke?.points.length).toBe(4)
    editor.up(180, 130)
    editor.expectToBeIn('brush.idle')
    expect(editor.session.stroke).toBeNull()
    await editor.whenIdle()

    const [stroke] = editor.fake.requestsTo('annotation:stroke')
    expect(stroke).toEqual({
      annotationId: target.id,
      mode: 'brush',
      radius,
      points: [
        { x: 140, y: 120 },
        { x: 150, y: 120 },
        { x: 160, y: 121 },
        { x: 170, y: 125 },
        { x: 180, y: 130 },
      ],
    })
    // The core's answer replaced the mask in the open image.
    expect(editor.annotation(target.id)?.bbox?.[2]).toBeGreaterThan(50)
  })

  it('thins points closer than a quarter radius to the previous one', async () => {
    const { editor } = await editorWithSelectedMask()
    editor.press('B')
    editor.updateSession({ brushRadius: 20 })
    editor.down(100, 100)
    for (let x = 101; x <= 120; x++) editor.move(x, 100)
    editor.up(120, 100)
    await editor.whenIdle()
    const xs = editor.fake.requestsTo('annotation:stroke')[0]?.points.map((p) => p.x)
    expect(xs).toEqual([100, 105, 110, 115, 120])
  })

  it('erases with E, and sends strokes in the order they were drawn', async () => {
    const { editor, target } = await editorWithSelectedMask()
    editor.fake.hold('annotation:stroke')
    editor.press('B')
    editor.drag([100, 100], [130, 100])
    editor.press('E')
    editor.drag([110, 100], [120, 110])
    // The eraser stroke waits until the brush stroke has answered.
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(editor.fake.heldCount('annotation:stroke')).toBe(1)
    editor.fake.releaseAll('annotation:stroke')
    await editor.whenIdle()
    expect(editor.fake.requestsTo('annotation:stroke').map((s) => s.mode)).toEqual(['brush', 'eraser'])
    // The open image shows the answer to the last stroke (the eraser's), not the brush's.
    expect(editor.annotation(target.id)).toEqual(editor.fake.annotations.get(target.id))
    expect(editor.fake.history.state().undoLabel).toBe('Eraser stroke')
  })

  it('explains that a mask must be selected first, and paints nothing', async () => {
    const editor = await TestEditor.withDemo()
    editor.press('B')
    editor.drag([10, 10], [50, 50])
    editor.expectToBeIn('brush.idle')
    await editor.whenIdle()
    expect(editor.fake.requestsTo('annotation:stroke')).toHaveLength(0)
    expect(editor.session.notices.at(-1)?.message).toMatch(/Select a mask to paint on first/)
  })

  it('drops the stroke under way on Esc', async () => {
    const { editor } = await editorWithSelectedMask()
    editor.press('E')
    editor.down(100, 100).move(120, 120)
    editor.press('Escape')
    editor.expectToBeIn('eraser.idle')
    editor.up(130, 130)
    await editor.whenIdle()
    expect(editor.fake.requestsTo('annotation:stroke')).toHaveLength(0)
  })
})

describe('select tool and hover', () => {
  it('selects the smallest mask under the click and clears the selection on empty space', async () => {
    const editor = await TestEditor.withDemo()
    const large = editor.fake.addAnnotation({ imageId: 1, box: { x0: 0, y0: 0, x1: 300, y1: 200 } })
    const small = editor.fake.addAnnotation({ imageId: 1, box: { x0: 50, y0: 50, x1: 90, y1: 90 } })
    await editor.documents.reloadImage()
    editor.press('V')
    editor.click(60, 60)
    expect(editor.session.selectedAnnotationId).toBe(small.id)
    editor.click(200, 150)
    expect(editor.session.selectedAnnotationId).toBe(large.id)
    editor.click(350, 250)
    expect(editor.session.selectedAnnotationId).toBeNull()
  })

  it('hits only the mask pixels, not its whole box (an L shape)', async () => {
    const editor = await TestEditor.withDemo()
    const mask = createMask(400, 300)
    for (let y = 50; y < 150; y++) mask.data.fill(1, y * 400 + 50, y * 400 + (y < 130 ? 70 : 150))
    const shape = editor.fake.addAnnotation({ imageId: 1, mask: maskToRle(mask), bbox: [50, 50, 100, 100], area: 20 * 80 + 100 * 20 })
    await editor.documents.reloadImage()
    editor.press('V')
    editor.click(60, 60)
    expect(editor.session.selectedAnnotationId).toBe(shape.id)
    editor.click(120, 80)
    expect(editor.session.selectedAnnotationId).toBeNull()
    editor.move(140, 140)
    expect(editor.session.hoverAnnotationId).toBe(shape.id)
  })

  it('uses the mask test, not only the box, when one is given', async () => {
    const editor = await TestEditor.withDemo(undefined, { maskContains: (_annotation, x) => x < 70 })
    const mask = editor.fake.addAnnotation({ imageId: 1, box: { x0: 50, y0: 50, x1: 90, y1: 90 } })
    await editor.documents.reloadImage()
    editor.move(60, 60)
    expect(editor.session.hoverAnnotationId).toBe(mask.id)
    editor.move(80, 60)
    expect(editor.session.hoverAnnotationId).toBeNull()
    expect(editor.session.pointer).toEqual({ x: 80, y: 60 })
    editor.pointerLeave()
    expect(editor.session.pointer).toBeNull()
  })

  it('pans with a drag instead of selecting', async () => {
    const editor = await TestEditor.withDemo()
    editor.press('V')
    const before = editor.session.camera
    editor.dragScreen([400, 300], [450, 280])
    editor.expectToBeIn('select.idle')
    expect(editor.session.camera.x - before.x).toBeCloseTo(50, 9)
    expect(editor.session.camera.y - before.y).toBeCloseTo(-20, 9)
    expect(editor.session.cameraFitted).toBe(false)
  })
})

describe('camera gestures', () => {
  it('pans with Space held and with the middle button, without adding prompts', async () => {
    const editor = await TestEditor.withDemo()
    const before = editor.session.camera
    editor.keyDownOnly('Space')
    editor.dragScreen([300, 300], [330, 310])
    editor.keyUpOnly('Space')
    editor.dragScreen([300, 300], [280, 300], { button: 'middle' })
    await editor.whenIdle()
    expect(editor.session.camera.x - before.x).toBeCloseTo(10, 9)
    expect(editor.session.camera.y - before.y).toBeCloseTo(10, 9)
    expect(editor.fake.requestsTo('segment:preview')).toHaveLength(0)
    expect(editor.session.panning).toBe(false)
  })

  it('zooms to the cursor on wheel: the image point under it stays put', async () => {
    const editor = await TestEditor.withDemo()
    const anchor = imageToScreen(editor.session.camera, imagePoint(300, 50))
    editor.wheel(anchor, -120, 0)
    const after = editor.session.camera
    expect(after.zoom).toBeGreaterThan(1)
    const image = { x: (anchor.x - after.x) / after.zoom, y: (anchor.y - after.y) / after.zoom }
    expect(image.x).toBeCloseTo(300, 6)
    expect(image.y).toBeCloseTo(50, 6)
  })

  it('keeps a fitted image fitted when the viewport is resized, but not after a zoom', async () => {
    const editor = await TestEditor.withDemo()
    editor.camera.setViewport({ width: 432, height: 332 })
    expect(editor.session.camera).toEqual({ zoom: 1, x: 16, y: 16 })
    editor.press('-')
    const zoomed = editor.session.camera
    editor.camera.setViewport({ width: 832, height: 632 })
    expect(editor.session.camera).toEqual(zoomed)
  })
})
