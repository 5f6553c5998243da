/**
 * Runs FFmpeg or FFprobe as a child process: no shell (paths with spaces or quotes are safe),
 * stderr kept only as a short tail for error messages, and killed when the signal aborts.
 */
import { spawn } from 'node:child_process'
import { StudioError } from '../../../common/ipc/result'
import { videoToolPath, type VideoTool } from './binaries'

export interface ToolRun {
  readonly signal?: AbortSignal
  /** Called with each complete stdout line (ffmpeg -progress pipe:1). */
  readonly onStdoutLine?: (line: string) => void
  /** Called with each complete stderr line. */
  readonly onStderrLine?: (line: string) => void
}

export interface ToolResult {
  readonly code: number | null
  readonly stdout: string
  /** The last lines of stderr, for error messages. */
  readonly stderrTail: string
}

const STDERR_TAIL_LINES = 12

/** Splits a stream of chunks into lines. */
function lineSplitter(onLine: (line: string) => void): (chunk: Buffer) => void {
  let rest = ''
  return (chunk) => {
    const lines = (rest + chunk.toString('utf8')).split(/\r?\n|\r/)
    rest = lines.pop() ?? ''
    for (const line of lines) onLine(line)
  }
}

/** Runs `tool` to completion; rejects with 'cancelled' when the signal aborts (the process is killed first). */
export function runTool(tool: VideoTool, args: readonly string[], options: ToolRun = {}): Promise<ToolResult> {
  const executable = videoToolPath(tool)
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new StudioError('cancelled', `${tool} was cancelled`))
    const child = spawn(executable, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true })
    const stdout: Buffer[] = []
    const tail: string[] = []
    const keepStdout = options.onStdoutLine === undefined
    const onStdout = options.onStdoutLine ? lineSplitter(options.onStdoutLine) : null
    child.stdout.on('data', (chunk: Buffer) => (keepStdout ? stdout.push(chunk) : onStdout!(chunk)))
    child.stderr.on(
      'data',
      lineSplitter((line) => {
        options.onStderrLine?.(line)
        if (line.trim() === '') return
        tail.push(line)
        if (tail.length > STDERR_TAIL_LINES) tail.shift()
      }),
    )
    const abort = (): void => {
      child.kill('SIGKILL')
    }
    options.signal?.addEventListener('abort', abort, { once: true })
    child.on('error', (error) => {
      options.signal?.removeEventListener('abort', abort)
      reject(new StudioError('io', `could not start ${tool} (${executable}): ${error.message}`))
    })
    child.on('close', (code) => {
      options.signal?.removeEventListener('abort', abort)
      if (options.signal?.aborted) return reject(new StudioError('cancelled', `${tool} was cancelled`))
      resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderrTail: tail.join('\n') })
    })
  })
}
