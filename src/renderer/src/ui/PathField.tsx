/**
 * A path typed in, or chosen: with the native dialog in the desktop app, with the folder picker
 * (folder:list, confined to the user's home and the data folder) in browser mode.
 */
import { useState } from 'react'
import { useEditor, useEditorState } from './editorContext'
import { FolderPicker } from './picker/FolderPicker'
import './studio-import.css'

interface PathFieldProps {
  readonly kind: 'folder' | 'open-file' | 'save-file'
  readonly title: string
  readonly value: string
  readonly onChange: (path: string) => void
  readonly placeholder?: string
  readonly defaultName?: string
  /** File kinds: the extensions the browser-mode picker lists (e.g. ['.json']). */
  readonly fileExtensions?: readonly string[]
  readonly testId: string
}

export function PathField({ kind, title, value, onChange, placeholder, defaultName, fileExtensions, testId }: PathFieldProps) {
  const editor = useEditor()
  const host = useEditorState((s) => s.doc.core.app?.host)
  const [nativeUnsupported, setNativeUnsupported] = useState(false)
  const [picking, setPicking] = useState(false)

  const browse = async () => {
    if (host !== 'electron' || nativeUnsupported) return setPicking(true)
    const picked = await editor.attempt('Opening the file dialog', () =>
      editor.api.call('dialog:pickPath', defaultName ? { kind, title, defaultName } : { kind, title }),
    )
    if (!picked) return
    if (!picked.supported) {
      setNativeUnsupported(true)
      setPicking(true)
    } else if (picked.path) onChange(picked.path)
  }

  return (
    <div className="path-field">
      <input
        type="text"
        value={value}
        placeholder={placeholder ?? (kind === 'folder' ? '/path/to/folder' : '/path/to/file')}
        onChange={(event) => onChange(event.target.value)}
        aria-label={title}
        data-testid={testId}
        spellCheck={false}
      />
      {host ? (
        <button type="button" onClick={() => void browse()} data-testid={`${testId}-browse`}>
          Browse…
        </button>
      ) : null}
      {picking ? (
        <FolderPicker
          kind={kind}
          title={title}
          start={value}
          {...(fileExtensions ? { fileExtensions } : {})}
          {...(defaultName ? { defaultName } : {})}
          onPick={(path) => {
            setPicking(false)
            onChange(path)
          }}
          onClose={() => setPicking(false)}
        />
      ) : null}
    </div>
  )
}
