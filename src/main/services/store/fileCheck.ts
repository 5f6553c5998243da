/**
 * Checks a project file for damage with `PRAGMA quick_check` (every page and b-tree is read;
 * indexes are not cross-checked against their tables, which is what makes integrity_check ~5x
 * slower). On a 100,000-image project it takes over a second, so it runs in a worker thread on
 * its own read-only connection and never blocks the event loop.
 */
import { createRequire } from 'node:module'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { betterSqliteNativeBinding } from './sqliteBinding'

export interface FileCheck {
  readonly ok: boolean
  /** 'ok', or SQLite's first complaints. */
  readonly detail: string
}

// Plain CommonJS run by the worker (an eval worker needs no build entry of its own).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
let db
try {
  const Database = require(workerData.module)
  db = new Database(workerData.file, { readonly: true, fileMustExist: true, ...(workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}) })
  db.pragma('busy_timeout = 5000')
  const rows = db.pragma('quick_check(' + workerData.maxErrors + ')').map((row) => String(Object.values(row)[0]))
  parentPort.postMessage({ ok: rows.length === 1 && rows[0] === 'ok', detail: rows.join('; ') })
} catch (error) {
  parentPort.postMessage({ ok: false, detail: error && error.message ? error.message : String(error) })
} finally {
  if (db) db.close()
}
`

/** Runs quick_check on `file` off the event loop; a file SQLite cannot even read fails the check. */
export function checkDatabaseFile(file: string, maxErrors = 5): Promise<FileCheck> {
  const module = createRequire(import.meta.url).resolve('better-sqlite3')
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, module, nativeBinding: betterSqliteNativeBinding(), maxErrors } })
    let settled = false
    worker.once('message', (result: FileCheck) => {
      settled = true
      resolve(result)
    })
    worker.once('error', (error) => {
      settled = true
      resolve({ ok: false, detail: `the check could not run: ${error.message}` })
    })
    worker.once('exit', (code) => {
      if (!settled) resolve({ ok: false, detail: `the check stopped (exit code ${code})` })
    })
  })
}

/** What to tell the user about a damaged project file: which file, what SQLite found, how to get back. */
export function damagedFileMessage(file: string, detail: string): string {
  const projectDir = path.dirname(file)
  return (
    `${file} is damaged (${detail.slice(0, 300)}); it is open read-only so nothing more is lost. ` +
    `Restore a backup: Restore in the studio, or \`persam-studio restore "${projectDir}" --list\` then \`persam-studio restore "${projectDir}"\`.`
  )
}

/** SQLite's result codes for a damaged or non-database file. */
export function isCorruptionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT'))
}
