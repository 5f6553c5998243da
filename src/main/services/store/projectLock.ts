/**
 * One writer per project: a lock file in the project folder names the process that has the
 * project open for writing. Two writers would race (each resuming the other's job, both writing
 * proposals), so a second writer is refused and may open the project read-only instead.
 *
 * The lock is published whole with link(2) from a file written aside, so nobody ever reads a
 * half-written lock, and link fails when the name exists, so two creators cannot both win. A
 * lock left by a crashed process is taken over: on the same host when its pid is gone, from
 * anywhere when its heartbeat is older than `staleAfterMs`. Two processes taking over the same
 * stale lock must not both win, so taking over lock X first creates the claim file
 * `project.lock.<X's token>.claim` exclusively; only its creator may remove X.
 */
import { randomUUID } from 'node:crypto'
import { linkSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { StudioError } from '../../../common/ipc/result'

export const LOCK_FILE = 'project.lock'
export const HOLDER_KINDS = ['app', 'server', 'cli'] as const
export type HolderKind = (typeof HOLDER_KINDS)[number]

export interface LockHolder {
  readonly kind: HolderKind
  /** What the holder is doing or which window it is, e.g. "propagate" or "studio". */
  readonly label: string
}

export interface LockRecord {
  readonly holder: LockHolder
  readonly pid: number
  readonly host: string
  /** ms since epoch */
  readonly startedAt: number
  readonly heartbeatAt: number
  /** Tells this lock from a later one with the same pid and host. */
  readonly token: string
}

export interface LockOptions {
  readonly holder?: LockHolder
  /** How often the holder refreshes its heartbeat. */
  readonly heartbeatMs?: number
  /** A lock whose heartbeat is older than this is stale, whatever its host. */
  readonly staleAfterMs?: number
  readonly now?: () => number
  /** Called when the heartbeat finds the lock file is no longer ours. */
  readonly onLost?: (reason: string) => void
  /** Called between finding a stale lock and taking it over (tests widen the race window here). */
  readonly beforeTakeOver?: (stale: LockRecord) => void
}

export const DEFAULT_HEARTBEAT_MS = 15_000
export const DEFAULT_STALE_AFTER_MS = 5 * 60_000

const HOLDER_NAMES: Record<HolderKind, string> = { app: 'the studio app', server: 'the browser-mode studio', cli: 'the CLI' }

/** Who holds a lock when the opener does not say (scripts and CLI commands using the store directly). */
const processHolder: LockHolder = { kind: 'cli', label: path.basename(process.argv[1] ?? 'node') }

/** Locks this process holds, released on a normal exit (one listener for all of them). */
const heldLocks = new Set<ProjectLock>()
let exitListener = false
function releaseOnExit(lock: ProjectLock): void {
  heldLocks.add(lock)
  if (exitListener) return
  exitListener = true
  process.once('exit', () => {
    for (const held of heldLocks) held.release()
  })
}

/** "the CLI (pid 1234 on host h) since 21:03" */
export function describeHolder(record: LockRecord): string {
  const since = new Date(record.startedAt)
  const hhmm = `${String(since.getHours()).padStart(2, '0')}:${String(since.getMinutes()).padStart(2, '0')}`
  const label = record.holder.label ? ` "${record.holder.label}"` : ''
  return `${HOLDER_NAMES[record.holder.kind] ?? record.holder.kind}${label} (pid ${record.pid} on host ${record.host}) since ${hhmm}`
}

/** Refusal to open a project another process has open for writing. */
export class ProjectLockedError extends StudioError {
  constructor(
    readonly projectDir: string,
    readonly record: LockRecord,
  ) {
    super('locked', `project ${path.basename(projectDir)} is open in ${describeHolder(record)}; close it there, or open it read-only`)
    this.name = 'ProjectLockedError'
  }
}

export function readLock(file: string): LockRecord | null {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  try {
    const record = JSON.parse(text) as LockRecord
    if (typeof record.pid === 'number' && typeof record.host === 'string' && typeof record.token === 'string') return record
  } catch {
    // fall through: an unreadable lock is treated as stale below
  }
  return { holder: { kind: 'cli', label: 'unreadable lock file' }, pid: 0, host: '', startedAt: 0, heartbeatAt: 0, token: `unreadable-${statSync(file).mtimeMs}` }
}

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' // alive, owned by someone else
  }
}

export function isStale(record: LockRecord, now: number, staleAfterMs: number): boolean {
  if (record.host === os.hostname() && !pidAlive(record.pid)) return true
  // Also covers a pid reused after a reboot: a live holder refreshes its heartbeat.
  return now - record.heartbeatAt > staleAfterMs
}

/** Writes `record` under a unique temporary name and links it to `target`; false when `target` exists. */
function publish(target: string, record: LockRecord): boolean {
  const aside = `${target}.${record.token}.tmp`
  writeFileSync(aside, JSON.stringify(record), { flag: 'wx' })
  try {
    linkSync(aside, target)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  } finally {
    rmSync(aside, { force: true })
  }
}

export class ProjectLock {
  private timer: NodeJS.Timeout | null = null
  private released = false

  private constructor(
    readonly file: string,
    private record: LockRecord,
    private readonly options: LockOptions,
  ) {
    const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS
    this.timer = setInterval(() => this.heartbeat(), heartbeatMs)
    this.timer.unref()
    releaseOnExit(this)
  }

  get holder(): LockRecord {
    return this.record
  }

  /** Takes the project's write lock or throws ProjectLockedError naming the live holder. */
  static acquire(projectDir: string, options: LockOptions = {}): ProjectLock {
    const file = path.join(projectDir, LOCK_FILE)
    const now = options.now ?? Date.now
    const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS
    const at = now()
    const record: LockRecord = { holder: options.holder ?? processHolder, pid: process.pid, host: os.hostname(), startedAt: at, heartbeatAt: at, token: randomUUID() }
    for (let attempt = 0; attempt < 5; attempt++) {
      if (publish(file, record)) return new ProjectLock(file, record, options)
      const existing = readLock(file)
      if (existing === null) continue // released between our link and our read
      if (!isStale(existing, now(), staleAfterMs)) throw new ProjectLockedError(projectDir, existing)
      options.beforeTakeOver?.(existing)
      if (takeOver(file, existing, record, now(), staleAfterMs)) return new ProjectLock(file, record, options)
    }
    const holder = readLock(file)
    if (holder) throw new ProjectLockedError(projectDir, holder)
    throw new StudioError('locked', `cannot take the lock ${file}: other processes keep taking it`)
  }

  /** Refreshes the heartbeat (rewritten aside, then renamed), unless the lock is no longer ours. */
  heartbeat(): void {
    if (this.released) return
    try {
      const current = readLock(this.file)
      if (current?.token !== this.record.token) {
        this.stopTimer()
        this.options.onLost?.(current ? `the lock was taken over by ${describeHolder(current)}` : 'the lock file was removed')
        return
      }
      this.record = { ...this.record, heartbeatAt: (this.options.now ?? Date.now)() }
      const aside = `${this.file}.${this.record.token}.tmp`
      writeFileSync(aside, JSON.stringify(this.record))
      renameSync(aside, this.file)
    } catch {
      // a missed heartbeat is harmless; the next one retries
    }
  }

  /** Removes the lock file if it is still ours. */
  release(): void {
    if (this.released) return
    this.released = true
    this.stopTimer()
    heldLocks.delete(this)
    try {
      if (readLock(this.file)?.token === this.record.token) rmSync(this.file, { force: true })
    } catch {
      // the folder may be gone (a deleted project); nothing to release then
    }
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }
}

/**
 * Replaces the stale lock `stale` by `record`. The claim file (created exclusively, named after the
 * stale lock's token) makes sure only one process removes that lock; a claim left by a process
 * that crashed while claiming is itself stale and removed.
 */
function takeOver(file: string, stale: LockRecord, record: LockRecord, now: number, staleAfterMs: number): boolean {
  const claim = `${file}.${stale.token}.claim`
  if (!publish(claim, record)) {
    const claimant = readLock(claim)
    if (claimant && !isStale(claimant, now, staleAfterMs)) return false // someone else is taking over
    rmSync(claim, { force: true })
    if (!publish(claim, record)) return false
  }
  try {
    // Holding the claim, the lock can only change if it is ours to remove: re-check it is still the stale one.
    if (readLock(file)?.token !== stale.token) return false
    rmSync(file, { force: true })
    return publish(file, record)
  } finally {
    rmSync(claim, { force: true })
  }
}
