/**
 * The browser-mode folder picker: a browser cannot show the server's disk in a native dialog,
 * so this lists it one folder at a time through folder:list (the server confines it to the
 * user's home and the studio's data folder). Folders open on click; "Choose" takes the folder
 * shown, or a file for the file kinds.
 */
import { useCallback, useEffect, useState } from 'react'
import type { FolderListing } from '../../../../common/ipc/types'
import { describeError } from '../../editor/api'
import { Modal } from '../dialogs/Modal'
import { useEditor } from '../editorContext'
import '../studio-import.css'

interface FolderPickerProps {
  readonly kind: 'folder' | 'open-file' | 'save-file'
  readonly title: string
  /** Where to start (the field's current value); the user's home when empty or not allowed. */
  readonly start: string
  readonly fileExtensions?: readonly string[]
  readonly defaultName?: string
  readonly onPick: (path: string) => void
  readonly onClose: () => void
}

function joinPath(folder: string, name: string): string {
  return `${folder.replace(/[\\/]+$/, '')}/${name}`
}

export function FolderPicker({ kind, title, start, fileExtensions, defaultName, onPick, onClose }: FolderPickerProps) {
  const editor = useEditor()
  const [listing, setListing] = useState<FolderListing | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [fileName, setFileName] = useState(defaultName ?? '')

  const load = useCallback(
    async (path: string | undefined, fallback: boolean) => {
      try {
        const extensions = kind === 'folder' ? undefined : fileExtensions
        setListing(await editor.api.call('folder:list', { ...(path ? { path } : {}), ...(extensions ? { fileExtensions: [...extensions] } : {}) }))
        setError(null)
      } catch (failure) {
        if (fallback && path) return load(undefined, false)
        setError(describeError(failure))
      }
    },
    [editor, kind, fileExtensions],
  )

  useEffect(() => {
    // Start where the field points (its folder, for a file), else at home.
    const from = start.trim() && kind !== 'folder' ? start.trim().replace(/[\\/][^\\/]*$/, '') : start.trim()
    void load(from || undefined, true)
  }, [load, start, kind])

  return (
    <Modal title={title} onClose={onClose} testId="folder-picker" wide>
      <div className="stack folder-picker">
        <div className="row wrap">
          <button type="button" className="small" disabled={!listing?.parent} onClick={() => listing?.parent && void load(listing.parent, false)} data-testid="picker-up">
            ↑ Up
          </button>
          {listing?.roots.map((root) => (
            <button key={root} type="button" className="small" onClick={() => void load(root, false)} data-testid="picker-root">
              {root}
            </button>
          ))}
        </div>
        <code className="folder-picker__path" data-testid="picker-path">
          {listing?.path ?? '…'}
        </code>
        {error ? (
          <p className="error-text" data-testid="picker-error">
            {error}
          </p>
        ) : null}
        <ul className="plain-list folder-picker__list">
          {listing?.folders.map((folder) => (
            <li key={folder.name}>
              <button type="button" className="link-button" onClick={() => void load(folder.path, false)} data-testid="picker-folder" data-name={folder.name}>
                📁 {folder.name}
              </button>
            </li>
          ))}
          {kind === 'open-file'
            ? listing?.files.map((file) => (
                <li key={file.name}>
                  <button type="button" className="link-button" onClick={() => onPick(file.path)} data-testid="picker-file" data-name={file.name}>
                    {file.name}
                  </button>
                </li>
              ))
            : null}
          {listing && listing.folders.length === 0 && (kind !== 'open-file' || listing.files.length === 0) ? <li className="muted small">Empty folder.</li> : null}
        </ul>
        {kind === 'save-file' ? (
          <input type="text" value={fileName} onChange={(event) => setFileName(event.target.value)} aria-label="File name" data-testid="picker-file-name" />
        ) : null}
        <div className="row end">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          {kind !== 'open-file' ? (
            <button
              type="button"
              className="primary"
              disabled={!listing || (kind === 'save-file' && !fileName.trim())}
              onClick={() => listing && onPick(kind === 'folder' ? listing.path : joinPath(listing.path, fileName.trim()))}
              data-testid="picker-choose"
            >
              {kind === 'folder' ? 'Choose this folder' : 'Save here'}
            </button>
          ) : null}
        </div>
      </div>
    </Modal>
  )
}
