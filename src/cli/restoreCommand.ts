/**
 * `persam-studio restore <project-folder> [--from FILE] [--list]`: lists a project's backups, or
 * replaces its project.sqlite by one (default: the newest). The current file is kept in backups/
 * first, so a restore can be undone by restoring that file. Refused while any process (the studio,
 * another CLI job) has the project open for writing.
 */
import { Command } from 'commander'
import { listBackups, restoreBackup } from '../main/services/store/index'

export interface RestoreCliOptions {
  readonly from?: string
  readonly list?: boolean
}

function formatBackup(backup: { name: string; createdAt: string; imageCount: number | null; annotationCount: number | null; sizeBytes: number; beforeRestore: boolean }): string {
  const counts = backup.annotationCount === null ? 'unreadable' : `${backup.imageCount} images, ${backup.annotationCount} annotations`
  const note = backup.beforeRestore ? '  (the file a restore replaced)' : ''
  return `${backup.createdAt}  ${backup.name}  ${counts}, ${(backup.sizeBytes / 2 ** 20).toFixed(1)} MiB${note}`
}

export async function runRestore(projectDir: string, options: RestoreCliOptions, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const backups = listBackups(projectDir)
  if (options.list) {
    if (backups.length === 0) out.write(`${projectDir} has no backups yet (the studio makes one when it closes the project, and hourly)\n`)
    for (const backup of backups) out.write(`${formatBackup(backup)}\n`)
    return
  }
  const from = options.from ?? backups.find((backup) => !backup.beforeRestore)?.name
  if (!from) throw new Error(`${projectDir} has no backups to restore (see --list)`)
  const { restored, previous } = await restoreBackup(projectDir, from, { lock: { holder: { kind: 'cli', label: 'restore' } } })
  out.write(`restored ${from}: ${restored.imageCount ?? '?'} images, ${restored.annotationCount ?? '?'} annotations\n`)
  if (previous) out.write(`the replaced file is kept as ${previous.file}; undo with: persam-studio restore "${projectDir}" --from ${previous.name}\n`)
}

export function restoreCommand(): Command {
  return new Command('restore')
    .description("list a project's backups, or restore one (default: the newest) in place of project.sqlite")
    .argument('<project-folder>', 'the project folder (holds project.sqlite and backups/)')
    .option('--from <file>', 'a backup name from --list, or the path of any copy of a project file')
    .option('--list', 'list the backups (newest first) and change nothing', false)
    .action(async (projectDir: string, options: RestoreCliOptions) => {
      try {
        await runRestore(projectDir, options)
      } catch (error) {
        process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`)
        process.exitCode = 1
      }
    })
}
