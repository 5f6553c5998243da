/**
 * Versioned migrations. PRAGMA user_version holds the schema version of a project file; opening
 * runs every migration above it, each in the same transaction as the version bump, so a file is
 * always at exactly one version. Append new migrations; never edit a released one.
 */
import type { SqliteDatabase } from '../connection'
import { coreSchema } from './001_core'
import { historySchema } from './002_history'
import { jobsSchema } from './003_jobs'
import { calibrationSchema } from './004_calibration'
import { sequencesSchema } from './005_sequences'
import { reviewLearningSchema } from './006_review_learning'

export interface Migration {
  readonly version: number
  readonly description: string
  readonly sql: string
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'images, categories, annotations, reference sets, counters', sql: coreSchema },
  { version: 2, description: 'persistent edit history', sql: historySchema },
  { version: 3, description: 'propagation jobs with per-image progress', sql: jobsSchema },
  { version: 4, description: 'calibrated review confidence per category', sql: calibrationSchema },
  { version: 5, description: 'frame sequences (videos and frame folders)', sql: sequencesSchema },
  { version: 6, description: 'proposal masks kept through corrections; calibrated review order', sql: reviewLearningSchema },
]

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version

export function schemaVersion(db: SqliteDatabase): number {
  return db.pragma('user_version', { simple: true }) as number
}

/**
 * Brings `db` to `target` (default: the latest). Callers have already refused files newer than
 * this code knows (see project.ts), so every version here is one this code can read.
 */
export function migrate(db: SqliteDatabase, target = LATEST_SCHEMA_VERSION): number[] {
  const applied: number[] = []
  const run = db.transaction(() => {
    // Re-read inside the write transaction: another process may have migrated meanwhile.
    const current = schemaVersion(db)
    if (current > LATEST_SCHEMA_VERSION) throw new Error(`schema version ${current} is newer than this studio (${LATEST_SCHEMA_VERSION})`)
    for (const migration of MIGRATIONS) {
      if (migration.version <= current || migration.version > target) continue
      db.exec(migration.sql)
      db.pragma(`user_version = ${migration.version}`)
      applied.push(migration.version)
    }
    // Rolls the whole upgrade back rather than leave a file with dangling references.
    const problems = applied.length > 0 ? (db.pragma('foreign_key_check') as unknown[]) : []
    if (problems.length > 0) throw new Error(`migration to version ${target} left ${problems.length} foreign-key violations`)
  })
  run.immediate()
  return applied
}
