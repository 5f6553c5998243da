/** React access to the editor: a context for the instance, useSyncExternalStore for its state. */
import { createContext, useContext, useSyncExternalStore } from 'react'
import type { Editor } from '../editor/Editor'
import type { EditorState } from '../editor/state'

export const EditorContext = createContext<Editor | null>(null)

export function useEditor(): Editor {
  const editor = useContext(EditorContext)
  if (!editor) throw new Error('useEditor outside <EditorContext.Provider>')
  return editor
}

/**
 * Subscribes to a slice of the state. The selector must return a value that stays identical
 * while nothing it reads changes (a state slice or a primitive), or React re-renders forever.
 */
export function useEditorState<T>(selector: (state: EditorState) => T): T {
  const editor = useEditor()
  return useSyncExternalStore(editor.store.subscribe, () => selector(editor.store.get()))
}
