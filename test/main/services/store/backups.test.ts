/**
 * Backups and restore: each backup is a verified copy kept in backups/, the newest five are
 * kept, a damaged project file fails the open-time check, and restoring a backup brings back every
 * annotation it held while the replaced file is kept (so the restore can be undone).
 */
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { Project } from '../../../../src/main/services/store/index'
import { BACKUP_DIR, backupProject, listBackups, restoreBackup } from '../../../../src/main/services/store/backups'
import { checkDatabaseFile } from '../../../../src/main/services/store/fileCheck'
import { ProjectLockedError } from '../../../../src/main/services/store/projectLock'
import { corruptMiddle, projectWithAnnotations } from './damage'

const annotationCount = (dir: string): number => {
  const project = Project.openReadOnly(dir)
  try {
    return (project.db.prepare('SELECT count(*) AS n FROM annotations').get() as { n: number }).n
  } finally {
    project.close()
  }
}

describe('backups', () => {
  it('writes verified copies into backups/ and keeps the newest five', async () => {
    const dir = projectWithAnnotations(12)
    const project = Project.open(dir)
    let now = Date.UTC(2026, 11, 3, 21, 0, 0)
    const made = []
    for (let i = 0; i < 7; i++) {
      now += 61_000
      made.push(await backupProject(project, { now: () => now }))
    }
    project.close()
    expect(made[0]!.name).toBe('project-20261203-210101.sqlite')
    const listed = listBackups(dir)
    expect(listed.map((b) => b.name)).toEqual(made.slice(2).reverse().map((b) => b.name))
    expect(listed.every((b) => b.annotationCount === 12 && b.imageCount === 40)).toBe(true)
    expect(readdirSync(path.join(dir, BACKUP_DIR)).filter((name) => !name.endsWith('.sqlite'))).toEqual([]) // no partial files left
    for (const backup of listed) expect(await checkDatabaseFile(backup.file)).toEqual({ ok: true, detail: 'ok' })
  })

  it('catches a file with overwritten pages, and a restore brings back every annotation of the backup', async () => {
    const dir = projectWithAnnotations(300)
    const project = Project.open(dir)
    const backup = await backupProject(project)
    project.close()
    const file = path.join(dir, 'project.sqlite')
    expect(await checkDatabaseFile(file)).toEqual({ ok: true, detail: 'ok' })

    corruptMiddle(file)
    const check = await checkDatabaseFile(file)
    expect(check.ok).toBe(false)
    expect(check.detail).not.toBe('ok')

    const { restored, previous } = await restoreBackup(dir, backup.name)
    expect(restored.annotationCount).toBe(300)
    expect(annotationCount(dir)).toBe(300)
    expect(await checkDatabaseFile(file)).toEqual({ ok: true, detail: 'ok' })
    // The damaged file was kept, so the restore itself can be undone.
    expect(previous?.beforeRestore).toBe(true)
    expect(existsSync(previous!.file)).toBe(true)
    expect((await checkDatabaseFile(previous!.file)).ok).toBe(false)
    expect(listBackups(dir).map((b) => b.name).sort()).toEqual([backup.name, previous!.name].sort())
  })

  it('keeps commits still in the -wal with the replaced file', async () => {
    const dir = projectWithAnnotations(5)
    const project = Project.open(dir)
    const backup = await backupProject(project)
    project.annotations.remove([1, 2], 'Delete')
    const crashed = project.db
    // The connection stays open (its -wal not checkpointed into the file, as after a crash); only
    // the lock is handed over, as a dead process's would be.
    project.lock!.release()
    const { previous } = await restoreBackup(dir, backup.name)
    crashed.close()
    expect(annotationCount(dir)).toBe(5)
    expect(previous!.annotationCount).toBe(3)
  })

  it('refuses to restore while another writer holds the project, and changes nothing', async () => {
    const dir = projectWithAnnotations(3)
    const holder = Project.open(dir)
    const backup = await backupProject(holder)
    await expect(restoreBackup(dir, backup.name)).rejects.toBeInstanceOf(ProjectLockedError)
    expect(listBackups(dir)).toHaveLength(1)
    holder.close()
  })
})
