/**
 * `persam-studio restore`: lists a project's backups with what they hold, restores the newest in
 * place of a damaged file (keeping that file as a backup), and is refused while another process
 * has the project open for writing.
 */
import { execFile } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { Project } from '../../src/main/services/store/index'
import { backupProject, listBackups } from '../../src/main/services/store/backups'
import { corruptMiddle, projectWithAnnotations } from '../main/services/store/damage'

interface Outcome {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

const cli = (args: string[]): Promise<Outcome> =>
  new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'restore', ...args], (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })

describe('persam-studio restore', () => {
  it('lists, restores the newest backup over a damaged file, and refuses while the project is open elsewhere', { timeout: 60_000 }, async () => {
    const dir = projectWithAnnotations(200)
    const project = Project.open(dir)
    const backup = await backupProject(project)
    // Open here: the CLI must not replace the file under this process.
    const locked = await cli([dir])
    expect(locked.code).toBe(1)
    expect(locked.stderr).toContain(`(pid ${process.pid} on host`)
    project.close()

    const listed = await cli([dir, '--list'])
    expect(listed.code).toBe(0)
    expect(listed.stdout).toContain(`${backup.name}  40 images, 200 annotations`)

    corruptMiddle(path.join(dir, 'project.sqlite'))
    const restored = await cli([dir])
    expect(restored.stderr).toBe('')
    expect(restored.stdout).toContain(`restored ${backup.name}: 40 images, 200 annotations`)
    expect(restored.stdout).toMatch(/undo with: persam-studio restore ".*" --from project-\d{8}-\d{6}-before-restore\.sqlite/)
    const reopened = Project.open(dir)
    expect(reopened.integrityCheck()).toBe('ok')
    expect((reopened.db.prepare('SELECT count(*) AS n FROM annotations').get() as { n: number }).n).toBe(200)
    reopened.close()
    expect(listBackups(dir).filter((b) => b.beforeRestore)).toHaveLength(1)
  })
})
