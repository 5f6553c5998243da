/**
 * One contender in the lock race test: waits for the shared start time, tries to take the
 * project's (stale) lock, pausing between seeing it stale and taking it over, prints "won" or
 * "locked", then keeps what it won until stdin closes.
 *   node --import tsx lockChild.ts <projectDir> <startAtMs>
 */
import { ProjectLock, ProjectLockedError } from '../../../../../src/main/services/store/projectLock'

const [projectDir, startAtText] = process.argv.slice(2)
const startAt = Number(startAtText)
while (Date.now() < startAt) {
  // spin: every contender tries within the same millisecond or two
}
let lock: ProjectLock | null = null
try {
  lock = ProjectLock.acquire(projectDir!, {
    holder: { kind: 'cli', label: `contender ${process.pid}` },
    // Every contender has seen the stale lock before any of them acts on it.
    beforeTakeOver: () => {
      const until = Date.now() + 300
      while (Date.now() < until) {
        // spin
      }
    },
  })
  process.stdout.write('won\n')
} catch (error) {
  if (!(error instanceof ProjectLockedError)) throw error
  process.stdout.write('locked\n')
}
process.stdin.resume()
process.stdin.on('end', () => {
  lock?.release()
  process.exit(0)
})
