/** A project's backups: list them and restore one (project:backups, project:restore). */
import type { BackupInfo } from '../../../../common/ipc/types'
import type { Editor } from '../Editor'

/** The backups of the open project, or of `projectDir` (one that could not be opened). */
export async function listBackups(editor: Editor, projectDir?: string): Promise<readonly BackupInfo[] | undefined> {
  return editor.attempt('Reading the backups', () => editor.api.call('project:backups', projectDir ? { projectDir } : {}))
}

/** Restores `backup` and shows the project again; says where the replaced file went. */
export async function restoreBackup(editor: Editor, backup: string, projectDir?: string): Promise<boolean> {
  const result = await editor.attempt('Restoring the backup', () => editor.api.call('project:restore', projectDir ? { projectDir, backup } : { backup }))
  if (!result) return false
  const kept = result.previous ? `; the replaced file is kept as backup ${result.previous.name}` : ''
  editor.notify('info', `Restored ${backup}${kept}`)
  editor.resetForProject(null)
  await editor.documents.adoptProject(result.project)
  return true
}
