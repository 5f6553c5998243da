/**
 * How every command ends a failure: one line `error: <what>` on stderr (the message names the
 * file or option), exit code 2 for usage errors, 130 for a cancel, else 1. A stack trace only
 * with --verbose or DEBUG set, since users cause most failures and a stack hides the message.
 */
import { CommanderError, InvalidArgumentError } from 'commander'
import { StudioError } from '../common/ipc/result'

/** A command line that cannot work as given (wrong option combination). */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

export function isVerbose(argv: readonly string[] = process.argv): boolean {
  return argv.includes('--verbose') || Boolean(process.env.DEBUG)
}

export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError || error instanceof InvalidArgumentError) return 2
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2
  if (error instanceof StudioError && error.code === 'cancelled') return 130
  return 1
}

/** Writes the failure and sets the exit code. */
export function reportFailure(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error)
  process.stderr.write(`error: ${message}\n`)
  if (isVerbose() && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`)
  process.exitCode = exitCodeOf(error)
}

/** Wraps a command's action so a failure ends as described above. */
export function action<Args extends unknown[]>(run: (...args: Args) => Promise<void> | void): (...args: Args) => Promise<void> {
  return async (...args) => {
    try {
      await run(...args)
    } catch (error) {
      reportFailure(error)
    }
  }
}
