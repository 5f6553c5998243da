import { describe, expect, it } from 'vitest'
import { COMMANDS } from '../../../src/renderer/src/editor/commands'
import { SHORTCUTS, keyName, matchShortcut } from '../../../src/renderer/src/editor/keymap'
import { TestEditor, keyInput } from '../helpers/TestEditor'

describe('keymap', () => {
  it('names key presses the way the table writes them', () => {
    expect(keyName(keyInput('Ctrl+Shift+Z', false))).toBe('Ctrl+Shift+Z')
    expect(keyName({ key: 'z', ctrl: false, meta: true, shift: false, alt: false, repeat: false })).toBe('Ctrl+Z')
    expect(keyName({ key: '?', ctrl: false, meta: false, shift: true, alt: false, repeat: false })).toBe('?')
    expect(keyName({ key: 'Tab', ctrl: false, meta: false, shift: true, alt: false, repeat: false })).toBe('Shift+Tab')
    expect(keyName({ key: 's', ctrl: false, meta: false, shift: false, alt: false, repeat: false })).toBe('S')
    expect(keyName({ key: 'S', ctrl: false, meta: false, shift: true, alt: false, repeat: false })).toBe('Shift+S')
    expect(keyName({ key: ' ', ctrl: false, meta: false, shift: false, alt: false, repeat: false })).toBe('Space')
  })

  it('has no two shortcuts on the same key in the same mode and phase', () => {
    for (const review of [false, true]) {
      const seen = new Map<string, string>()
      for (const shortcut of SHORTCUTS) {
        if (shortcut.when !== 'any' && (shortcut.when === 'review') !== review) continue
        for (const key of shortcut.keys) {
          const slot = `${key}/${shortcut.onRelease ? 'up' : 'down'}/${shortcut.when === 'any' ? 'any' : 'mode'}`
          expect(seen.get(slot), `${key} bound twice (review=${review})`).toBeUndefined()
          seen.set(slot, shortcut.command)
        }
      }
    }
  })

  it('gives every command a handler and every handler a key', () => {
    const bound = new Set(SHORTCUTS.map((s) => s.command))
    expect([...bound].sort()).toEqual(Object.keys(COMMANDS).sort())
  })

  it('lets review keys win in review mode and editing keys outside it', () => {
    const down = (combo: string, review: boolean) => matchShortcut(keyInput(combo, false), { review, phase: 'down' })?.command
    expect(down('Enter', false)).toBe('prompt.commit')
    expect(down('Enter', true)).toBe('review.accept')
    expect(down('ArrowLeft', false)).toBe('image.previous')
    expect(down('ArrowLeft', true)).toBe('review.previous')
    expect(down('D', true)).toBe('review.next')
    expect(down('ArrowRight', false)).toBe('image.next')
    expect(down('X', false)).toBeUndefined()
    expect(down('Escape', true)).toBe('prompt.clear')
    expect(matchShortcut(keyInput('Space', false), { review: true, phase: 'up' })?.command).toBe('review.accept')
    expect(matchShortcut(keyInput('Space', false), { review: false, phase: 'up' })).toBeNull()
  })

  it('routes keys to the editor: tools, brush size, dialogs; ignores held non-repeating keys', async () => {
    const editor = await TestEditor.withDemo()
    expect(editor.press('B')).toBe(true)
    expect(editor.session.tool).toBe('brush')
    expect(editor.press('E')).toBe(true)
    expect(editor.session.tool).toBe('eraser')
    expect(editor.press('V')).toBe(true)
    editor.expectToBeIn('select.idle')
    expect(editor.press('Shift+S')).toBe(true)
    expect(editor.session.tool).toBe('samBox')

    const radius = editor.session.brushRadius
    editor.press(']')
    editor.press(']', { repeat: true })
    expect(editor.session.brushRadius).toBeGreaterThan(radius + 1)
    for (let i = 0; i < 80; i++) editor.press('[', { repeat: true })
    expect(editor.session.brushRadius).toBe(1)

    editor.press('?')
    expect(editor.session.dialog).toBe('help')
    editor.press('?')
    expect(editor.session.dialog).toBeNull()
    editor.press('P')
    expect(editor.session.dialog).toBe('propagate')
    // A held P does not reopen anything, but the key is still the editor's (no browser default).
    editor.openDialog(null)
    expect(editor.press('P', { repeat: true })).toBe(true)
    expect(editor.session.dialog).toBeNull()

    expect(editor.press('Q')).toBe(false)
  })

  it('picks the active category with digits', async () => {
    const editor = await TestEditor.withDemo()
    await editor.categories.create('cat')
    const [first, second] = editor.doc.categories
    editor.press('1')
    expect(editor.session.activeCategoryId).toBe(first?.id)
    editor.press('2')
    expect(editor.session.activeCategoryId).toBe(second?.id)
    editor.press('9')
    expect(editor.session.activeCategoryId).toBe(second?.id)
  })

  it('hides masks with H and fits with F after zooming', async () => {
    const editor = await TestEditor.withDemo()
    const fitted = editor.session.camera
    editor.press('+')
    expect(editor.session.camera.zoom).toBeCloseTo(fitted.zoom * 1.25, 9)
    expect(editor.session.cameraFitted).toBe(false)
    editor.press('F')
    expect(editor.session.camera).toEqual(fitted)
    editor.press('H')
    expect(editor.session.masksVisible).toBe(false)
  })
})
