/**
 * Opens project.sqlite with the settings every connection needs. Durability choice: WAL with
 * synchronous=FULL. WAL gives readers a consistent snapshot while a writer works, and a commit is
 * one append to the log. With synchronous=NORMAL a WAL commit survives a process crash but the
 * last commits can vanish on power loss or an OS crash, because the log is only fsynced at
 * checkpoints; the issue promises that a change is durable when the call returns, so every commit
 * fsyncs the log (FULL). Bulk work is one transaction, so it pays that fsync once.
 */
import Database from 'better-sqlite3'
import { betterSqliteNativeBinding, explainBindingError } from './sqliteBinding'

export type SqliteDatabase = Database.Database

/** 'PSAM' as a big-endian int32: marks a file as a PerSAM Studio project (PRAGMA application_id). */
export const APPLICATION_ID = 0x5053414d

export interface ConnectionOptions {
  readonly readonly?: boolean
  /** Milliseconds a writer waits for another connection's write lock before SQLITE_BUSY. */
  readonly busyTimeoutMs?: number
}

export function openConnection(file: string, options: ConnectionOptions = {}): SqliteDatabase {
  let db: SqliteDatabase
  try {
    const nativeBinding = betterSqliteNativeBinding()
    db = new Database(file, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
      ...(nativeBinding ? { nativeBinding } : {}),
    })
  } catch (error) {
    throw explainBindingError(error)
  }
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`)
  if (options.readonly) return db
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  // Reads of a big project mostly hit these pages; 64 MiB of cache, and mmap for the rest.
  db.pragma('cache_size = -65536')
  db.pragma('mmap_size = 268435456')
  // Keep the -wal file from staying at its high-water mark after a big import.
  db.pragma('journal_size_limit = 67108864')
  return db
}

const statementCaches = new WeakMap<SqliteDatabase, Map<string, Database.Statement>>()

/** A prepared statement, compiled once per connection and reused (preparing costs more than running). */
export function statement(db: SqliteDatabase, sql: string): Database.Statement {
  let cache = statementCaches.get(db)
  if (!cache) statementCaches.set(db, (cache = new Map()))
  let prepared = cache.get(sql)
  if (!prepared) cache.set(sql, (prepared = db.prepare(sql)))
  return prepared
}
