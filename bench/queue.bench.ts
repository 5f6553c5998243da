/**
 * Distributed propagation on this machine (toy model, CPU, synthetic set): the queue's overhead
 * per image over the in-process runner (one worker, one task at a time: the gap between two
 * recorded results minus the worker's own time on the image; target < 5 ms p50), throughput with
 * one and two CLI workers, and the coordinator's own CPU per recorded result (which bounds how
 * many workers one studio can feed).
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runPropagationJob, type PropagationParams } from '../src/main/services/propagation/propagationJob'
import { PropagationRunner } from '../src/main/services/propagation/propagationRunner'
import { runKeyOf, storeLedger } from '../src/main/services/queue/distributedPropagationJob'
import { modelFingerprint } from '../src/main/services/queue/modelFingerprint'
import { QueueCoordinator } from '../src/main/services/queue/queueCoordinator'
import { encodeTarget, TASK_FORMAT } from '../src/main/services/queue/taskCodec'
import { SamRuntime } from '../src/main/services/sam/samRuntime'
import { binaryOfStored } from '../src/main/services/store'
import { writeSyntheticDataset } from '../src/main/services/synthetic/writeSyntheticDataset'
import { RedisInstance, redisServerBinary, startCliWorker, type CliWorker } from '../test/helpers/redisServer'
import { projectWithJob } from '../test/main/services/queue/fixture'
import { distribution, round, type Benchmark, type Row } from './lib/harness'

const IMAGES = 24

const benchmark: Benchmark = {
  name: 'queue',
  description: 'BullMQ propagation: queue overhead per image, throughput with 1 and 2 workers, coordinator cost per result',
  async run() {
    if (!redisServerBinary) return { rows: [{ measure: 'skipped: no redis-server binary' }], figures: { skipped: true } }
    const root = mkdtempSync(path.join(tmpdir(), 'queue-bench-'))
    const data = path.join(root, 'data')
    const manifest = await writeSyntheticDataset(data, { seed: 3, objectCount: 1, minImages: IMAGES, maxImages: IMAGES })
    const runtime = await SamRuntime.open({ model: { dir: 'resources/models/toy-sam' }, providers: ['cpu'] })
    const model = await modelFingerprint({ dir: 'resources/models/toy-sam' })
    const redis = await RedisInstance.start()
    const workers: CliWorker[] = []
    let projects = 0
    const rows: Row[] = []
    try {
      // In process, twice: the second run has every embedding in memory, as a worker's second run.
      const inProcess: number[] = []
      for (let i = 0; i < 2; i++) {
        const { project, job } = await projectWithJob(path.join(root, `p${++projects}`), data, manifest)
        const start = performance.now()
        await runPropagationJob(project, runtime, job, { signal: new AbortController().signal, progress: () => undefined }, { onProposals: () => undefined })
        inProcess.push((performance.now() - start) / job.total)
        project.close()
      }
      const queued = async (label: string) => {
        const { project, job } = await projectWithJob(path.join(root, `p${++projects}`), data, manifest)
        project.runs.start(job.id)
        const params = job.params as PropagationParams
        const reference = project.references.members(project.references.defaultSet(job.categoryId).id)[0]!
        const referenceImage = project.images.require(reference.imageId)
        const runner = await PropagationRunner.prepare(runtime, [{ file: project.absolutePath(referenceImage.relPath), imageKey: referenceImage.contentHash, mask: binaryOfStored(reference.mask!) }], { method: job.method, maxInstances: params.maxInstances })
        const recordedAt: number[] = []
        const computeMs: number[] = []
        const ledger = storeLedger(project, job, params.maxInstances, () => recordedAt.push(performance.now()))
        const cpuStart = process.cpuUsage()
        const start = performance.now()
        const coordinator = new QueueCoordinator({
          url: redis.url,
          spec: { format: TASK_FORMAT, run: runKeyOf(project, job), modelSha: model.sha, segment: { maxInstances: params.maxInstances }, target: encodeTarget(runner.target), images: { kind: 'path' } },
          ledger,
          onRecorded: (_id, outcome) => computeMs.push('error' in outcome ? 0 : (outcome.computeMs ?? 0)),
        })
        await coordinator.run()
        const seconds = (performance.now() - start) / 1000
        const cpu = process.cpuUsage(cpuStart)
        project.close()
        const gaps = recordedAt.slice(1).map((at, i) => at - recordedAt[i]! - computeMs[i + 1]!)
        return { label, imagesPerSecond: job.total / seconds, overhead: distribution(gaps), coordinatorCpuMs: (cpu.user + cpu.system) / 1000 / coordinator.recorded }
      }
      workers.push(await startCliWorker(redis.url))
      const oneCold = await queued('1 worker, cold cache')
      const oneWarm = await queued('1 worker, warm cache')
      workers.push(await startCliWorker(redis.url))
      const twoWarm = await queued('2 workers, warm caches')
      rows.push({ measure: 'in process, ms/image (cold / warm)', value: `${round(inProcess[0]!)} / ${round(inProcess[1]!)}` })
      for (const run of [oneCold, oneWarm, twoWarm]) {
        rows.push({ measure: `${run.label}: images/s`, value: round(run.imagesPerSecond) })
        rows.push({ measure: `${run.label}: coordinator CPU ms per recorded result`, value: round(run.coordinatorCpuMs) })
      }
      rows.push({ measure: 'queue overhead per image, 1 worker warm, p50 / p95 ms (target < 5 ms p50)', value: `${round(oneWarm.overhead.p50)} / ${round(oneWarm.overhead.p95)}` })
      const feedable = Math.floor(1000 / Math.max(0.01, twoWarm.coordinatorCpuMs))
      rows.push({ measure: 'results/s one studio core can record (1000 / coordinator ms per result)', value: feedable })
      return { rows, figures: { images: IMAGES, inProcessMsPerImage: inProcess, runs: [oneCold, oneWarm, twoWarm], overheadTargetMet: oneWarm.overhead.p50 < 5, resultsPerSecondOneCore: feedable } }
    } finally {
      await Promise.all(workers.map((worker) => worker.kill('SIGTERM')))
      await redis.kill()
      await runtime.close()
    }
  },
}

export default benchmark
