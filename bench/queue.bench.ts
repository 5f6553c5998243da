/**
 * Distributed propagation on this machine (toy model, CPU, synthetic set), against the in-process
 * runner measured in the same run:
 * - the queue's overhead per image: the worker-side gap between handing a result back and
 *   receiving the next task (on the critical path at concurrency 1; target < 5 ms p50), the time
 *   a worker sits without a task per image (what compute does not hide; at concurrency 2 the next
 *   task is fetched while one computes), and wall time per image over the in-process floor;
 * - throughput with one worker (concurrency 1 and 2) and with two workers;
 * - the coordinator's own cost per recorded result (CPU, and results per store transaction), and
 *   its capacity: results per second it records from a stand-in worker that answers at once,
 *   which bounds how many GPU workers one studio can feed.
 * The machine is shared: the load average before and after each part is in the output.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import os, { tmpdir } from 'node:os'
import path from 'node:path'
import { runPropagationJob } from '../src/main/services/propagation/propagationJob'
import { modelFingerprint } from '../src/main/services/queue/modelFingerprint'
import { SamRuntime } from '../src/main/services/sam/samRuntime'
import { writeSyntheticDataset } from '../src/main/services/synthetic/writeSyntheticDataset'
import { RedisInstance, redisServerBinary, startCliWorker, type CliWorker } from '../test/helpers/redisServer'
import { projectWithJob } from '../test/main/services/queue/fixture'
import { round, type Benchmark, type Row } from './lib/harness'
import { queuedRun, type QueuedRun } from './lib/queueRuns'

const IMAGES = 24
const CAPACITY_IMAGES = 150

const load = (): string => os.loadavg().map((value) => value.toFixed(2)).join(' ')

/** The stand-in worker of bench/lib/echoWorker.ts as a child process. */
async function startEchoWorker(url: string, sha: string): Promise<CliWorker> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/echoWorker.ts', url, sha, '8'], { stdio: ['ignore', 'ignore', 'pipe'] })
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => /waiting for tasks/.test(chunk.toString()) && resolve())
    child.once('exit', (code) => reject(new Error(`echo worker exited (${code})`)))
  })
  return {
    child,
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill(signal)
      await exited
    },
  }
}

const benchmark: Benchmark = {
  name: 'queue',
  description: 'BullMQ propagation: queue overhead per image over the in-process floor, throughput with 1 and 2 workers, coordinator cost and capacity',
  async run() {
    if (!redisServerBinary) return { rows: [{ measure: 'skipped: no redis-server binary' }], figures: { skipped: true } }
    const loads: Record<string, string> = { start: load() }
    const root = mkdtempSync(path.join(tmpdir(), 'queue-bench-'))
    const data = path.join(root, 'data')
    const manifest = await writeSyntheticDataset(data, { seed: 3, objectCount: 1, minImages: IMAGES, maxImages: IMAGES })
    const runtime = await SamRuntime.open({ model: { dir: 'resources/models/toy-sam' }, providers: ['cpu'] })
    const model = await modelFingerprint({ dir: 'resources/models/toy-sam' })
    const redis = await RedisInstance.start()
    const workers: CliWorker[] = []
    let projects = 0
    const nextDir = () => path.join(root, `p${++projects}`)
    const rows: Row[] = []
    try {
      // In process, twice: the second run has every embedding in memory, as a worker's second run.
      const inProcess: number[] = []
      for (let i = 0; i < 2; i++) {
        const { project, job } = await projectWithJob(nextDir(), data, manifest)
        const start = performance.now()
        await runPropagationJob(project, runtime, job, { signal: new AbortController().signal, progress: () => undefined }, { onProposals: () => undefined })
        inProcess.push((performance.now() - start) / job.total)
        project.close()
      }
      const floor = inProcess[1]!
      loads.inProcess = load()
      const queued = () => queuedRun(redis.url, model.sha, runtime, nextDir(), data, manifest)
      const stopWorkers = async () => {
        await Promise.all(workers.splice(0).map((worker) => worker.kill('SIGTERM')))
      }

      const sequential = ['--concurrency', '1']
      workers.push(await startCliWorker(redis.url, sequential))
      const oneCold = await queued()
      const one = await queued()
      loads.oneWorker = load()
      await stopWorkers()
      workers.push(await startCliWorker(redis.url, ['--concurrency', '2']))
      await queued()
      const oneOverlapped = await queued()
      loads.oneWorkerConcurrency2 = load()
      await stopWorkers()
      workers.push(await startCliWorker(redis.url, sequential), await startCliWorker(redis.url, sequential))
      await queued()
      const two = await queued()
      loads.twoWorkers = load()
      await stopWorkers()

      const capacityData = path.join(root, 'capacity')
      const capacityManifest = await writeSyntheticDataset(capacityData, { seed: 4, objectCount: 1, minImages: CAPACITY_IMAGES, maxImages: CAPACITY_IMAGES })
      workers.push(await startEchoWorker(redis.url, model.sha))
      const capacity = await queuedRun(redis.url, model.sha, runtime, nextDir(), capacityData, capacityManifest)
      loads.capacity = load()
      await stopWorkers()

      const runs: [string, QueuedRun][] = [
        ['1 worker, concurrency 1, cold cache', oneCold],
        ['1 worker, concurrency 1, warm', one],
        ['1 worker, concurrency 2, warm', oneOverlapped],
        ['2 workers, concurrency 1, warm', two],
      ]
      rows.push({ measure: 'in process (the floor), ms/image cold / warm', value: `${round(inProcess[0]!)} / ${round(floor)}` })
      for (const [label, run] of runs) {
        rows.push({ measure: `${label}: images/s; ms/image (x in-process warm)`, value: `${round(run.imagesPerSecond)}; ${round(run.msPerImage)} (x${round(run.msPerImage / floor, 2)})` })
        // With two tasks in hand the next one arrives while one computes: the gap is then negative, and only idle time counts.
        const gap = run === oneOverlapped ? 'n/a (tasks overlap)' : `${round(run.pickupGapMs.p50)} / ${round(run.pickupGapMs.p95)}`
        rows.push({ measure: `${label}: worker pickup gap p50 / p95 ms; worker idle ms/image`, value: `${gap}; ${round(run.workerIdleMsPerImage)}` })
        rows.push({ measure: `${label}: result-to-stored p50 ms; coordinator CPU ms/result; results per store write`, value: `${round(run.recordLatencyMs.p50)}; ${round(run.coordinatorCpuMsPerResult)}; ${round(run.meanBatch, 2)}` })
      }
      rows.push({ measure: 'queue overhead per image, 1 worker warm concurrency 1: pickup gap p50 (target < 5 ms)', value: round(one.pickupGapMs.p50) })
      rows.push({ measure: 'queue overhead per image, 1 worker warm concurrency 2: worker idle ms/image (target < 5 ms)', value: round(oneOverlapped.workerIdleMsPerImage) })
      rows.push({ measure: 'bytes: run spec (once per run) / task / result', value: `${one.specBytes} / ${round(one.meanTaskBytes, 0)} / ${round(one.meanResultBytes, 0)}` })
      rows.push({ measure: `coordinator capacity (${CAPACITY_IMAGES} images, instant worker): results/s; CPU ms/result; results per store write`, value: `${round(capacity.imagesPerSecond, 1)}; ${round(capacity.coordinatorCpuMsPerResult)}; ${round(capacity.meanBatch, 2)}` })
      rows.push({ measure: 'load average (1/5/15 min) at start / after each part', value: Object.entries(loads).map(([part, value]) => `${part}: ${value}`).join('; ') })
      return {
        rows,
        figures: {
          images: IMAGES,
          inProcessMsPerImage: inProcess,
          runs: Object.fromEntries(runs),
          capacity,
          loadAverage: loads,
          overheadTargetMet: { concurrency1PickupP50: one.pickupGapMs.p50 < 5, concurrency2IdlePerImage: oneOverlapped.workerIdleMsPerImage < 5 },
        },
      }
    } finally {
      await Promise.all(workers.map((worker) => worker.kill('SIGTERM')))
      await redis.kill()
      await runtime.close()
    }
  },
}

export default benchmark
