/**
 * Automatic backups of project.sqlite in the project's backups/ folder, and restore.
 *
 * A backup is made with SQLite's online backup API (a consistent copy while the project stays
 * open), written under a temporary name, checked with quick_check and only then renamed to
 * `backups/project-YYYYMMDD-HHMMSS.sqlite` (UTC), so every file listed there is a complete,
 * sound copy. The newest `keep` are kept. A restore first moves the current file into backups/
 * (`...-before-restore.sqlite`, with its -wal), so a restore can itself be undone.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import type { BackupInfo } from '../../../common/ipc/dto/project'
import { openConnection } from './connection'
import { invalidInput, notFound } from './errors'
import { checkDatabaseFile } from './fileCheck'
import { PROJECT_FILE, type Project } from './project'
import { ProjectLock, type LockOptions } from './projectLock'

export const BACKUP_DIR = 'backups'
export const DEFAULT_BACKUPS_KEPT = 5
const BACKUP_NAME = /^project-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:-(\d+))?(-before-restore)?\.sqlite$/

function stamp(ms: number): string {
  const d = new Date(ms)
  const two = (n: number): string => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}-${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}`
}

/** A free name in backups/ for a copy made at `ms`. */
function backupName(dir: string, ms: number, suffix = ''): string {
  const base = `project-${stamp(ms)}`
  for (let n = 1; ; n++) {
    const name = `${base}${n === 1 ? '' : `-${n}`}${suffix}.sqlite`
    if (!existsSync(path.join(dir, name))) return name
  }
}

export interface BackupOptions {
  readonly keep?: number
  readonly now?: () => number
}

/** Copies the open project into backups/, verifies the copy, then prunes old backups. */
export async function backupProject(project: Project, options: BackupOptions = {}): Promise<BackupInfo> {
  const dir = path.join(project.dir, BACKUP_DIR)
  mkdirSync(dir, { recursive: true })
  const name = backupName(dir, (options.now ?? project.now)())
  const aside = path.join(dir, `.${name}.partial`)
  rmSync(aside, { force: true })
  try {
    await project.db.backup(aside)
    // The copy inherits WAL mode; as a plain rollback-journal file it stays one self-contained file.
    const copy = openConnection(aside)
    copy.pragma('journal_mode = DELETE')
    copy.close()
    const check = await checkDatabaseFile(aside)
    if (!check.ok) throw invalidInput(`the backup of ${project.file} failed its check (${check.detail}); it was not kept`)
    renameSync(aside, path.join(dir, name))
  } finally {
    rmSync(aside, { force: true })
  }
  pruneBackups(project.dir, options.keep ?? DEFAULT_BACKUPS_KEPT)
  return describeBackup(path.join(dir, name))
}

/** The project's backups, newest first, with what each holds. */
export function listBackups(projectDir: string): BackupInfo[] {
  const dir = path.join(projectDir, BACKUP_DIR)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((name) => BACKUP_NAME.test(name))
    .map((name) => describeBackup(path.join(dir, name)))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.name.localeCompare(a.name))
}

function describeBackup(file: string): BackupInfo {
  const name = path.basename(file)
  const [, y, mo, d, h, mi, s, , beforeRestore] = BACKUP_NAME.exec(name) ?? []
  const createdAt = y ? `${y}-${mo}-${d}T${h}:${mi}:${s}Z` : new Date(statSync(file).mtimeMs).toISOString()
  let counts: { images: number; annotations: number } | null = null
  try {
    const db = openConnection(file, { readonly: true })
    try {
      counts = db.prepare('SELECT (SELECT count(*) FROM images) AS images, (SELECT count(*) FROM annotations) AS annotations').get() as { images: number; annotations: number }
    } finally {
      db.close()
    }
  } catch {
    counts = null // listed anyway: restoring it will say what is wrong
  }
  return {
    name,
    file,
    createdAt,
    sizeBytes: statSync(file).size,
    imageCount: counts?.images ?? null,
    annotationCount: counts?.annotations ?? null,
    beforeRestore: Boolean(beforeRestore),
  }
}

export function hasBackups(projectDir: string): boolean {
  const dir = path.join(projectDir, BACKUP_DIR)
  return existsSync(dir) && readdirSync(dir).some((name) => BACKUP_NAME.test(name))
}

/** Keeps the newest `keep` automatic backups (copies made before a restore are kept as well). */
export function pruneBackups(projectDir: string, keep: number): void {
  const automatic = listBackups(projectDir).filter((backup) => !backup.beforeRestore)
  for (const old of automatic.slice(keep)) for (const suffix of ['', '-wal', '-shm']) rmSync(old.file + suffix, { force: true })
}

/** `nameOrFile`: a name listed in backups/, or a path to any copy of a project file. */
export function resolveBackup(projectDir: string, nameOrFile: string): string {
  const inBackups = path.join(projectDir, BACKUP_DIR, path.basename(nameOrFile))
  const file = nameOrFile.includes('/') || nameOrFile.includes(path.sep) ? path.resolve(nameOrFile) : inBackups
  if (!existsSync(file)) throw notFound(`backup ${file}`)
  return file
}

export interface RestoreResult {
  readonly restored: BackupInfo
  /** Where the file that was replaced went (restore it to undo), or null when there was none. */
  readonly previous: BackupInfo | null
}

/**
 * Replaces project.sqlite by a verified backup. Takes the project's write lock, so it is refused
 * while any process has the project open for writing (the caller closes its own session first).
 */
export async function restoreBackup(projectDir: string, nameOrFile: string, options: { lock?: LockOptions; now?: () => number } = {}): Promise<RestoreResult> {
  const source = resolveBackup(projectDir, nameOrFile)
  const check = await checkDatabaseFile(source)
  if (!check.ok) throw invalidInput(`${source} is not a sound project file (${check.detail}); choose another backup`)
  const lock = ProjectLock.acquire(projectDir, options.lock)
  try {
    const file = path.join(projectDir, PROJECT_FILE)
    const incoming = path.join(projectDir, `.${PROJECT_FILE}.restoring`)
    copyFileSync(source, incoming)
    const dir = path.join(projectDir, BACKUP_DIR)
    mkdirSync(dir, { recursive: true })
    let previous: string | null = null
    if (existsSync(file)) {
      previous = path.join(dir, backupName(dir, (options.now ?? Date.now)(), '-before-restore'))
      // The -wal holds commits not yet in the main file: it moves with it (SQLite reads it by name).
      if (existsSync(`${file}-wal`)) renameSync(`${file}-wal`, `${previous}-wal`)
      renameSync(file, previous)
      rmSync(`${file}-shm`, { force: true })
    }
    renameSync(incoming, file)
    return { restored: describeBackup(file), previous: previous ? describeBackup(previous) : null }
  } finally {
    lock.release()
  }
}
