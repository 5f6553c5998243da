/**
 * A path typed in, or chosen with the native dialog in the desktop app. Browser mode has no
 * native dialog (dialog:pickPath answers supported: false), so there the text field is the way.
 */
import { useState } from 'react'
import { useEditor, useEditorState } from './editorContext'

interface PathFieldProps {
  readonly kind: 'folder' | 'open-file' | 'save-file'
  readonly title: string
  readonly value: string
  readonly onChange: (path: string) => void
  readonly placeholder?: string
  readonly defaultName?: string
  readonly testId: string
}

export function PathField({ kind, title, value, onChange, placeholder, defaultName, testId }: PathFieldProps) {
  const editor = useEditor()
  const host = useEditorState((s) => s.doc.core.app?.host)
  const [unsupported, setUnsupported] = useState(false)

  const browse = async () => {
    const picked = await editor.attempt('Opening the file dialog', () =>
      editor.api.call('dialog:pickPath', defaultName ? { kind, title, defaultName } : { kind, title }),
    )
    if (!picked) return
    if (!picked.supported) setUnsupported(true)
    else if (picked.path) onChange(picked.path)
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
      {host === 'electron' && !unsupported ? (
        <button type="button" onClick={() => void browse()}>
          Browse…
        </button>
      ) : null}
    </div>
  )
}
