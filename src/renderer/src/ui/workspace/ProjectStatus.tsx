/** The open project's safety: a "read-only" badge saying why, and its backups (restore one). */
import { useState } from 'react'
import { BackupList } from '../backups/BackupList'
import { useEditorState } from '../editorContext'

export function ProjectStatus() {
  const readOnly = useEditorState((s) => s.doc.project?.readOnly ?? null)
  const [showBackups, setShowBackups] = useState(false)
  return (
    <div className="project-status" data-testid="project-status">
      {readOnly ? (
        <span className="badge badge--read-only" title={readOnly.message} data-testid="read-only-badge">
          read-only
        </span>
      ) : null}
      {readOnly ? <span className="muted small">{readOnly.message}</span> : null}
      <button type="button" className="link-button" onClick={() => setShowBackups(!showBackups)} data-testid="backups-toggle">
        {showBackups ? 'Hide backups' : 'Backups…'}
      </button>
      {showBackups || readOnly?.reason === 'damaged' ? <BackupList /> : null}
    </div>
  )
}
