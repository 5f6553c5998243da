/**
 * `persam-studio worker --queue redis://HOST:PORT`: a GPU (or any) machine taking per-image
 * propagation tasks for its model from the studio's Redis queue. Runs until SIGINT/SIGTERM,
 * then finishes its current tasks and leaves.
 */
import { Command, InvalidArgumentError } from 'commander'
import { parsePathMapping, type PathMapping } from '../main/services/queue/imageAccess'
import { modelFingerprint } from '../main/services/queue/modelFingerprint'
import { PropagationWorker } from '../main/services/queue/propagationWorker'
import { openRuntime, parseProvider, resolveModelDir } from './models'

interface WorkerCliOptions {
  queue: string
  model: string
  ep: ReturnType<typeof parseProvider>
  concurrency: number
  mapPath: PathMapping[]
  cache?: string
  lockMs?: number
  stalledMs?: number
}

function redisUrl(value: string): string {
  if (!/^rediss?:\/\/[^/\s]+/.test(value)) throw new InvalidArgumentError('expected redis://HOST:PORT (or rediss://)')
  return value
}

function positiveInteger(value: string): number {
  const number = Number(value)
  if (!Number.isInteger(number) || number < 1 || number > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64')
  return number
}

function mapping(value: string, previous: PathMapping[]): PathMapping[] {
  try {
    return [...previous, parsePathMapping(value)]
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error))
  }
}

export function workerCommand(): Command {
  return new Command('worker')
    .description('take propagation tasks from a Redis queue (run on any number of machines)')
    .requiredOption('--queue <url>', 'the studio\'s Redis, redis://HOST:PORT', redisUrl)
    .option('--model <id|dir>', 'model folder or installed model id (tasks name the model they need)', resolveModelDir, resolveModelDir('toy-sam'))
    .option('--ep <provider>', 'execution provider: auto, cuda, dml, coreml, cpu', parseProvider, 'auto')
    .option('--concurrency <n>', 'images in flight on this worker (2: the next image is fetched while one computes; 1 on a GPU short of memory)', positiveInteger, 2)
    .option('--map-path <studio=worker>', 'map a studio path prefix to this machine\'s (shared storage); repeatable', mapping, [])
    .option('--cache <dir>', 'embedding cache folder')
    .addOption(new Command().createOption('--lock-ms <n>', 'task lock duration (tests)').argParser(Number).hideHelp())
    .addOption(new Command().createOption('--stalled-ms <n>', 'stalled-task check interval (tests)').argParser(Number).hideHelp())
    .action(async (options: WorkerCliOptions) => {
      const model = await modelFingerprint({ dir: options.model })
      const runtime = await openRuntime(options.model, options.ep, options.cache ?? null)
      const worker = await PropagationWorker.start({
        url: options.queue,
        runtime,
        model,
        provider: runtime.model.encoder.providers.active,
        concurrency: options.concurrency,
        mappings: options.mapPath,
        ...(options.lockMs ? { lockDurationMs: options.lockMs } : {}),
        ...(options.stalledMs ? { stalledIntervalMs: options.stalledMs } : {}),
        log: (message) => process.stderr.write(`${message}\n`),
      })
      process.stderr.write(`worker ${worker.id}: model ${model.id} (${model.sha.slice(0, 12)}), waiting for tasks on ${options.queue}\n`)
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve)
        process.once('SIGTERM', resolve)
      })
      await worker.close()
      await runtime.close()
    })
}
