/** A project's backups, newest first, each with what it holds and a Restore button. */
import { useEffect, useState } from 'react'
import type { BackupInfo } from '../../../../common/ipc/types'
import { listBackups, restoreBackup } from '../../editor/managers/backupOps'
import { useEditor } from '../editorContext'

export function BackupList({ projectDir }: { projectDir?: string }) {
  const editor = useEditor()
  const [backups, setBackups] = useState<readonly BackupInfo[] | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    let live = true
    void listBackups(editor, projectDir).then((list) => live && setBackups(list ?? []))
    return () => {
      live = false
    }
  }, [editor, projectDir])

  if (backups === null) return <p className="muted small">Reading the backups…</p>
  if (backups.length === 0) return <p className="muted small">No backups yet: the studio makes one when it closes a project, and hourly.</p>
  return (
    <ul className="plain-list" data-testid="backup-list">
      {backups.map((backup) => (
        <li key={backup.name} className="row">
          <span className="small">
            {new Date(backup.createdAt).toLocaleString()} — {backup.annotationCount ?? '?'} annotations, {backup.imageCount ?? '?'} images
            {backup.beforeRestore ? ' (replaced by a restore)' : ''}
          </span>
          <button
            type="button"
            disabled={busy}
            onClick={() => {
              setBusy(true)
              void restoreBackup(editor, backup.name, projectDir).finally(() => setBusy(false))
            }}
            data-testid="backup-restore"
          >
            Restore
          </button>
        </li>
      ))}
    </ul>
  )
}
