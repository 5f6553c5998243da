import { execFile } from 'node:child_process'

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs `persam-studio ...args` as a child process (never throws; the exit code is in the result). */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const { DEBUG: _debug, ...inherited } = process.env
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], { env: { ...inherited, ...env }, maxBuffer: 16 * 2 ** 20, timeout: 300_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}

/** The `error:` lines of stderr. */
export const errorLines = (stderr: string): string[] => stderr.split('\n').filter((line) => line.startsWith('error:'))

/** A stack frame line, as Node prints them. */
export const hasStack = (text: string): boolean => /^\s+at .+:\d+:\d+\)?$/m.test(text)
