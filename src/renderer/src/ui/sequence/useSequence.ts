/** React access to the editor's sequence view state (SequenceController's own store). */
import { useSyncExternalStore } from 'react'
import type { SequenceViewState } from '../../editor/sequence/SequenceController'
import { useEditor } from '../editorContext'

export function useSequenceState<T>(selector: (state: SequenceViewState) => T): T {
  const { sequence } = useEditor()
  return useSyncExternalStore(sequence.store.subscribe, () => selector(sequence.store.get()))
}
