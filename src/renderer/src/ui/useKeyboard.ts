/**
 * Window keys go to the editor's keymap, except while typing in a field. With a dialog open,
 * only Esc (close) and the help key reach the editor, so dialogs can be typed into freely.
 */
import { useEffect } from 'react'
import type { Editor } from '../editor/Editor'
import type { KeyInput } from '../editor/keymap'

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

function toInput(event: KeyboardEvent): KeyInput {
  return { key: event.key, ctrl: event.ctrlKey, shift: event.shiftKey, alt: event.altKey, meta: event.metaKey, repeat: event.repeat }
}

export function useKeyboard(editor: Editor): void {
  useEffect(() => {
    const down = (event: KeyboardEvent) => {
      const dialog = editor.session.dialog
      if (dialog) {
        if (event.key === 'Escape' || (dialog === 'help' && (event.key === '?' || event.key === 'F1'))) {
          editor.openDialog(null)
          event.preventDefault()
        }
        return
      }
      if (isTyping(event.target)) return
      // Buttons keep focus after a click; Space and Enter must not press them again.
      if (event.target instanceof HTMLButtonElement && (event.key === ' ' || event.key === 'Enter')) event.target.blur()
      if (editor.keyDown(toInput(event))) event.preventDefault()
    }
    const up = (event: KeyboardEvent) => {
      if (editor.session.dialog || isTyping(event.target)) return
      if (editor.keyUp(toInput(event))) event.preventDefault()
    }
    const blur = () => editor.blur()
    window.addEventListener('keydown', down)
    window.addEventListener('keyup', up)
    window.addEventListener('blur', blur)
    return () => {
      window.removeEventListener('keydown', down)
      window.removeEventListener('keyup', up)
      window.removeEventListener('blur', blur)
    }
  }, [editor])
}
