/**
 * Times the open-time file checks and one backup on the store benchmark's 100k-image project:
 *   node --import tsx bench/lib/integrityTiming.ts [projectDir]
 * The project is built once (as bench/store.bench.ts builds it) and reused on later runs.
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openConnection } from '../../src/main/services/store/connection'
import { Project } from '../../src/main/services/store/project'
import { ProjectLock } from '../../src/main/services/store/projectLock'
import { build } from '../store.bench'

const dir = process.argv[2] ?? path.join(os.tmpdir(), 'persam-integrity-100k', 'project')
if (!existsSync(path.join(dir, 'project.sqlite'))) {
  mkdirSync(path.dirname(dir), { recursive: true })
  build(dir)
}
const file = path.join(dir, 'project.sqlite')
const time = (work: () => unknown): { ms: number; value: unknown } => {
  const start = performance.now()
  const value = work()
  return { ms: Math.round(performance.now() - start), value }
}
const lockStart = performance.now()
ProjectLock.acquire(dir).release()
const lockMs = Math.round((performance.now() - lockStart) * 100) / 100
const openStart = performance.now()
Project.open(dir).close()
const openMs = Math.round(performance.now() - openStart)
const db = openConnection(file, { readonly: true })
const quick = time(() => db.pragma('quick_check', { simple: true }))
const full = time(() => db.pragma('integrity_check', { simple: true }))
const backupFile = path.join(path.dirname(dir), 'backup-timing.sqlite')
rmSync(backupFile, { force: true })
const start = performance.now()
await db.backup(backupFile)
const backupMs = Math.round(performance.now() - start)
db.close()
console.log(JSON.stringify({ lockMs, openMs, fileMiB: Math.round(statSync(file).size / 2 ** 20), quickCheckMs: quick.ms, quick: quick.value, integrityCheckMs: full.ms, integrity: full.value, backupMs }))
