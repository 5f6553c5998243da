/**
 * A project is a folder: project.sqlite (everything the user made) and cache/ (derived data such
 * as embeddings and thumbnails, safe to delete). Images stay where they are, referenced by path
 * relative to the images root and by content hash.
 *
 * Opening checks the file read-only first: a file from a newer studio is refused and never
 * written, not even by the WAL switch or a migration.
 */
import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { AnnotationRepository } from './annotations'
import { CalibrationRepository } from './calibration'
import { CategoryRepository } from './categories'
import { APPLICATION_ID, openConnection, statement, type SqliteDatabase } from './connection'
import { NewerSchemaError, invalidInput, notFound } from './errors'
import { ExportSnapshot } from './exportSnapshot'
import { EditHistory } from './history'
import { ImageRepository } from './images'
import { ImportStager } from './importStager'
import { PropagationRunRepository } from './propagationRuns'
import { LATEST_SCHEMA_VERSION, migrate, schemaVersion } from './migrations/index'
import { commonAncestor, fromRelPath, isInside } from './paths'
import { ProjectLock, type LockOptions } from './projectLock'
import { ReferenceRepository } from './references'
import { SequenceRepository } from './sequences'

export const PROJECT_FILE = 'project.sqlite'
export const CACHE_DIR = 'cache'

export interface ProjectOptions {
  /** Clock for timestamps (ms since epoch); tests pin it. */
  readonly now?: () => number
  /** Closed undo steps kept. */
  readonly historyLimit?: number
  /** Who takes the write lock and how it is kept (opening for writing only). */
  readonly lock?: LockOptions
}

export interface CreateProjectOptions extends ProjectOptions {
  readonly imagesRoot: string
}

export interface ProjectInfo {
  readonly file: string
  readonly schemaVersion: number
  readonly supported: boolean
}

export class Project {
  readonly file: string
  readonly cacheDir: string
  readonly images: ImageRepository
  readonly categories: CategoryRepository
  readonly annotations: AnnotationRepository
  readonly references: ReferenceRepository
  readonly history: EditHistory
  readonly runs: PropagationRunRepository
  readonly calibration: CalibrationRepository
  readonly sequences: SequenceRepository
  readonly now: () => number

  private constructor(
    readonly dir: string,
    readonly db: SqliteDatabase,
    options: ProjectOptions,
    /** The write lock; null for a read-only open. */
    readonly lock: ProjectLock | null = null,
  ) {
    this.file = path.join(dir, PROJECT_FILE)
    this.cacheDir = path.join(dir, CACHE_DIR)
    const now = (this.now = options.now ?? Date.now)
    this.history = new EditHistory(db, now, options.historyLimit)
    this.images = new ImageRepository(db, now, this.history)
    this.categories = new CategoryRepository(db, now, this.history)
    this.annotations = new AnnotationRepository(db, now, this.history)
    this.references = new ReferenceRepository(db, now, this.history)
    this.runs = new PropagationRunRepository(db, now, this.history, this.annotations)
    this.calibration = new CalibrationRepository(db, now)
    this.sequences = new SequenceRepository(db, now)
  }

  /** Creates the folder layout and an empty project atomically (built under a temp name, then renamed). */
  static create(dir: string, options: CreateProjectOptions): Project {
    const file = path.join(dir, PROJECT_FILE)
    if (existsSync(file)) throw invalidInput(`${dir} already holds a project`)
    mkdirSync(path.join(dir, CACHE_DIR), { recursive: true })
    const temporary = path.join(dir, `.${PROJECT_FILE}.creating`)
    for (const suffix of ['', '-wal', '-shm']) rmSync(temporary + suffix, { force: true })
    const db = openConnection(temporary)
    try {
      db.pragma(`application_id = ${APPLICATION_ID}`)
      migrate(db)
      const project = new Project(dir, db, options)
      project.writeImagesRoot(path.resolve(options.imagesRoot))
      statement(db, "INSERT INTO meta(key, value) VALUES ('created_at', ?)").run(String(project.now()))
    } finally {
      db.close() // checkpoints and removes the -wal file, so the rename moves one complete file
    }
    renameSync(temporary, file)
    return Project.open(dir, options)
  }

  static open(dir: string, options: ProjectOptions = {}): Project {
    const file = path.join(dir, PROJECT_FILE)
    const info = inspectProject(dir)
    if (!info.supported) throw new NewerSchemaError(file, info.schemaVersion, LATEST_SCHEMA_VERSION)
    // Only the lock holder may write, and only it may decide that a 'running' job was interrupted.
    const lock = ProjectLock.acquire(dir, options.lock)
    let db: SqliteDatabase | null = null
    try {
      db = openConnection(file)
      migrate(db)
      const project = new Project(dir, db, options, lock)
      project.runs.interruptRunning()
      return project
    } catch (error) {
      db?.close()
      lock.release()
      throw error
    }
  }

  get readOnly(): boolean {
    return this.lock === null
  }

  /**
   * Opens for reading only (exports, inspection): no migration and no job recovery, so it is safe
   * while the studio has the same project open and a job running.
   */
  static openReadOnly(dir: string, options: ProjectOptions = {}): Project {
    const file = path.join(dir, PROJECT_FILE)
    const info = inspectProject(dir)
    if (!info.supported) throw new NewerSchemaError(file, info.schemaVersion, LATEST_SCHEMA_VERSION)
    if (info.schemaVersion < LATEST_SCHEMA_VERSION) {
      throw invalidInput(`${file}: schema version ${info.schemaVersion} is older than ${LATEST_SCHEMA_VERSION}; open the project in the studio once to upgrade it`)
    }
    return new Project(dir, openConnection(file, { readonly: true }), options)
  }

  /** The folder image paths are relative to. Tried in order: the absolute path, then the same place relative to the project folder (both moved together). */
  get imagesRoot(): string {
    const absolute = this.meta('images_root')
    const relative = this.meta('images_root_from_project')
    if (absolute === undefined) throw notFound('the images root of this project')
    if (existsSync(absolute) || relative === undefined) return absolute
    const besideProject = path.resolve(this.dir, relative)
    return existsSync(besideProject) ? besideProject : absolute
  }

  setImagesRoot(root: string): void {
    this.writeImagesRoot(path.resolve(root))
  }

  absolutePath(relPath: string): string {
    return fromRelPath(this.imagesRoot, relPath)
  }

  /**
   * Makes the images root cover `folder`, moving the root up to a common ancestor (and
   * prefixing every stored path) when needed. Runs inside the caller's import transaction.
   */
  coverFolder(folder: string): void {
    const root = this.imagesRoot
    if (isInside(root, folder)) return
    const wider = commonAncestor(root, folder)
    if (wider === null) throw invalidInput(`${folder} and the images root ${root} have no common folder (different drives?)`)
    const prefix = path.relative(wider, root).split(path.sep).join('/')
    this.db.transaction(() => {
      if (prefix !== '') statement(this.db, "UPDATE images SET rel_path = ? || '/' || rel_path").run(prefix)
      this.writeImagesRoot(wider)
    })()
  }

  /** A consistent read-only view of the project for an export, on its own connection; close it when done. */
  openExportSnapshot(): ExportSnapshot {
    return ExportSnapshot.open(this.file)
  }

  /** Starts a staged import (see importStager.ts); close the stager in a finally. */
  beginImport(): ImportStager {
    return new ImportStager(this.db, this.annotations, this.now)
  }

  /** Runs `work` in one transaction (for callers composing several repository calls). */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)()
  }

  /** PRAGMA integrity_check; 'ok' when the file is sound. */
  integrityCheck(): string {
    return (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check).join('; ')
  }

  get isOpen(): boolean {
    return this.db.open
  }

  /** Rows changed through this connection since it opened (SQLite's total_changes()). */
  changeCount(): number {
    return (statement(this.db, 'SELECT total_changes() AS n').get() as { n: number }).n
  }

  close(): void {
    if (this.db.open) this.db.close()
    this.lock?.release()
  }

  private meta(key: string): string | undefined {
    return (statement(this.db, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value
  }

  private writeImagesRoot(root: string): void {
    const upsert = statement(this.db, 'INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
    this.db.transaction(() => {
      upsert.run('images_root', root)
      upsert.run('images_root_from_project', path.relative(this.dir, root) || '.')
    })()
  }
}

/**
 * Reads a project's schema version without writing anything. A cleanly closed project has no
 * -wal file and its header is read straight from the file (no SQLite connection, so not even a
 * -shm file appears); after a crash the committed state may still sit in the -wal, so a
 * read-only connection reads it.
 */
export function inspectProject(dir: string): ProjectInfo {
  const file = path.join(dir, PROJECT_FILE)
  if (!existsSync(file)) throw notFound(`project file ${file}`)
  const wal = `${file}-wal`
  if (!existsSync(wal) || statSync(wal).size === 0) {
    const header = readDatabaseHeader(file)
    if (header.applicationId !== APPLICATION_ID) throw invalidInput(`${file} is not a PerSAM Studio project (SQLite application_id ${header.applicationId})`)
    return { file, schemaVersion: header.userVersion, supported: header.userVersion <= LATEST_SCHEMA_VERSION }
  }
  let db: SqliteDatabase
  try {
    db = openConnection(file, { readonly: true })
  } catch (error) {
    throw invalidInput(`${file} cannot be opened: ${error instanceof Error ? error.message : String(error)}`)
  }
  try {
    const applicationId = readPragma(db, file, 'application_id')
    const version = schemaVersion(db)
    if (applicationId !== APPLICATION_ID) throw invalidInput(`${file} is not a PerSAM Studio project (SQLite application_id ${applicationId})`)
    return { file, schemaVersion: version, supported: version <= LATEST_SCHEMA_VERSION }
  } finally {
    db.close()
  }
}

/** The two header fields we need (SQLite file format: application_id at byte 68, user_version at 60). */
function readDatabaseHeader(file: string): { applicationId: number; userVersion: number } {
  const header = Buffer.alloc(100)
  const fd = openSync(file, 'r')
  let length: number
  try {
    length = readSync(fd, header, 0, 100, 0)
  } finally {
    closeSync(fd)
  }
  if (length < 100 || header.toString('latin1', 0, 16) !== 'SQLite format 3\0') {
    throw invalidInput(`${file} is not a PerSAM Studio project: file is not a database`)
  }
  return { applicationId: header.readInt32BE(68), userVersion: header.readInt32BE(60) }
}

function readPragma(db: SqliteDatabase, file: string, name: string): number {
  try {
    return db.pragma(name, { simple: true }) as number
  } catch (error) {
    throw invalidInput(`${file} is not a PerSAM Studio project: ${error instanceof Error ? error.message : String(error)}`)
  }
}

export const createProject = (dir: string, options: CreateProjectOptions): Project => Project.create(dir, options)
export const openProject = (dir: string, options?: ProjectOptions): Project => Project.open(dir, options)
