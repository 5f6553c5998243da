/** Why the last project could not be opened (locked elsewhere, or damaged) and the way on: read-only, or a backup. */
import { useState } from 'react'
import { BackupList } from '../backups/BackupList'
import { useEditor, useEditorState } from '../editorContext'

export function ProjectRefusal() {
  const editor = useEditor()
  const refusal = useEditorState((s) => s.session.openRefusal)
  const [busy, setBusy] = useState(false)
  if (!refusal) return null
  return (
    <section className="card" role="alert" data-testid="project-refusal">
      <p className="error-text">{refusal.message}</p>
      {refusal.code === 'locked' ? (
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            setBusy(true)
            void editor.documents.openProject(refusal.projectDir, true).finally(() => setBusy(false))
          }}
          data-testid="open-read-only"
        >
          Open read-only
        </button>
      ) : (
        <BackupList projectDir={refusal.projectDir} />
      )}
    </section>
  )
}
