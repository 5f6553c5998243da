/** Throw-away redis-server instances on free loopback ports (never a system one), and CLI workers. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'

export const redisServerBinary: string | null = (() => {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' })
  return found.status === 0 ? found.stdout.trim() : null
})()

export const NO_REDIS_MESSAGE = 'redis-server is not installed (apt-get install redis-server): the queue tests are skipped'

export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Waits until a child's output matches, or fails with what it printed. */
function waitForOutput(child: ChildProcess, pattern: RegExp, what: string, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${output}`)), timeoutMs)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (pattern.test(output)) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${what} exited (${code}):\n${output}`))
    })
  })
}

export class RedisInstance {
  private child: ChildProcess | null = null
  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  static async start(): Promise<RedisInstance> {
    const instance = new RedisInstance(await freePort())
    await instance.restart()
    return instance
  }

  /** (Re)starts on the same port, empty (no persistence). */
  async restart(): Promise<void> {
    const child = spawn(redisServerBinary!, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] })
    this.child = child
    await waitForOutput(child, /Ready to accept connections/, `redis-server on ${this.port}`)
  }

  async kill(): Promise<void> {
    const child = this.child
    this.child = null
    if (!child || child.exitCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
  }
}

export interface CliWorker {
  readonly child: ChildProcess
  kill(signal?: NodeJS.Signals): Promise<void>
  /** What the worker printed on stderr since it started waiting for tasks. */
  readonly log?: () => string
}

/**
 * Task lock and stalled-check interval of the test workers: a SIGKILLed worker's task is
 * re-delivered within lock + check (6 s). The tests do not bet on a live worker renewing its lock
 * in time on a loaded machine: one that misses a renewal only has its task delivered twice, and
 * the studio records it once (starvedWorker.test.ts stops a worker past its lock to show this).
 */
export const TEST_LOCK_MS = 5_000
export const TEST_STALLED_MS = 1_000

/** A `persam-studio worker` child process (through tsx, as the CLI tests run the CLI). */
export async function startCliWorker(url: string, extra: readonly string[] = []): Promise<CliWorker> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/index.ts', 'worker', '--queue', url, '--ep', 'cpu', '--lock-ms', String(TEST_LOCK_MS), '--stalled-ms', String(TEST_STALLED_MS), ...extra],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  await waitForOutput(child, /waiting for tasks/, 'persam-studio worker', 120_000)
  child.stdout?.resume()
  let log = ''
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()))
  return {
    child,
    log: () => log,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill(signal)
      await exited
    },
  }
}
