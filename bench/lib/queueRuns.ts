/** The queue benchmark's runs: one stored job through the coordinator, and what its results' timestamps say. */
import type { PropagationParams } from '../../src/main/services/propagation/propagationJob'
import { PropagationRunner } from '../../src/main/services/propagation/propagationRunner'
import { runKeyOf, storeLedger } from '../../src/main/services/queue/distributedPropagationJob'
import { QueueCoordinator, type ImageOutcome } from '../../src/main/services/queue/queueCoordinator'
import { encodeTarget, TASK_FORMAT, type RunSpec } from '../../src/main/services/queue/taskCodec'
import type { SamRuntime } from '../../src/main/services/sam/samRuntime'
import { binaryOfStored } from '../../src/main/services/store'
import type { SyntheticManifest } from '../../src/main/services/synthetic/writeSyntheticDataset'
import { projectWithJob } from '../../test/main/services/queue/fixture'
import { distribution, type Distribution } from './harness'

export interface QueuedRun {
  readonly images: number
  readonly imagesPerSecond: number
  readonly msPerImage: number
  /** Worker side, same worker: from handing a result back to receiving the next task (concurrency 1: on the critical path). */
  readonly pickupGapMs: Distribution
  /** Time a worker had no task in hand, per image it did: the queue's cost that compute does not hide. */
  readonly workerIdleMsPerImage: number
  /** From a worker handing a result back to the studio having stored it. */
  readonly recordLatencyMs: Distribution
  readonly coordinatorCpuMsPerResult: number
  /** Results per store transaction. */
  readonly meanBatch: number
  readonly specBytes: number
  readonly meanTaskBytes: number
  readonly meanResultBytes: number
}

interface Timed {
  readonly worker: string
  readonly receivedAt: number
  readonly returnedAt: number
  readonly recordedAt: number
}

function idleOf(results: readonly Timed[]): { idleMs: number; images: number } {
  let idleMs = 0
  const byWorker = new Map<string, Timed[]>()
  for (const result of results) byWorker.set(result.worker, [...(byWorker.get(result.worker) ?? []), result])
  for (const list of byWorker.values()) {
    list.sort((a, b) => a.receivedAt - b.receivedAt)
    let busyUntil = list[0]!.receivedAt
    for (const { receivedAt, returnedAt } of list) {
      if (receivedAt > busyUntil) idleMs += receivedAt - busyUntil
      busyUntil = Math.max(busyUntil, returnedAt)
    }
  }
  return { idleMs, images: results.length - byWorker.size }
}

/** One propagation job over `data` through the queue at `url`, timed. */
export async function queuedRun(url: string, modelSha: string, runtime: SamRuntime, projectDir: string, data: string, manifest: SyntheticManifest): Promise<QueuedRun> {
  const { project, job } = await projectWithJob(projectDir, data, manifest)
  project.runs.start(job.id)
  const params = job.params as PropagationParams
  const reference = project.references.members(project.references.defaultSet(job.categoryId).id)[0]!
  const referenceImage = project.images.require(reference.imageId)
  const runner = await PropagationRunner.prepare(runtime, [{ file: project.absolutePath(referenceImage.relPath), imageKey: referenceImage.contentHash, mask: binaryOfStored(reference.mask!) }], { method: job.method, maxInstances: params.maxInstances })
  const timed: Timed[] = []
  const resultBytes: number[] = []
  const ledger = storeLedger(project, job, params.maxInstances, () => undefined)
  let writes = 0
  let taskBytes = 0
  let tasks = 0
  const counted = {
    ...ledger,
    pending: () => {
      const pending = ledger.pending()
      for (const image of pending) taskBytes += JSON.stringify({ run: runKeyOf(project, job), ...image }).length
      tasks += pending.length
      return pending
    },
    record: (outcomes: Parameters<typeof ledger.record>[0]) => {
      writes++
      ledger.record(outcomes)
    },
  }
  const spec: RunSpec = { format: TASK_FORMAT, run: runKeyOf(project, job), modelSha, segment: { maxInstances: params.maxInstances }, target: encodeTarget(runner.target), images: { kind: 'path' as const } }
  const onRecorded = (_imageId: number, outcome: ImageOutcome) => {
    if ('error' in outcome) return
    resultBytes.push(JSON.stringify(outcome).length)
    if (outcome.receivedAt !== undefined && outcome.returnedAt !== undefined) timed.push({ worker: outcome.worker ?? '?', receivedAt: outcome.receivedAt, returnedAt: outcome.returnedAt, recordedAt: Date.now() })
  }
  const cpuStart = process.cpuUsage()
  const start = performance.now()
  const coordinator = new QueueCoordinator({ url, spec, ledger: counted, onRecorded })
  await coordinator.run()
  const seconds = (performance.now() - start) / 1000
  const cpu = process.cpuUsage(cpuStart)
  project.close()
  const gaps: number[] = []
  const byWorker = new Map<string, Timed[]>()
  for (const result of timed) byWorker.set(result.worker, [...(byWorker.get(result.worker) ?? []), result])
  for (const list of byWorker.values()) {
    list.sort((a, b) => a.receivedAt - b.receivedAt)
    for (let i = 1; i < list.length; i++) gaps.push(list[i]!.receivedAt - list[i - 1]!.returnedAt)
  }
  const idle = idleOf(timed)
  return {
    images: job.total,
    imagesPerSecond: job.total / seconds,
    msPerImage: (seconds * 1000) / job.total,
    pickupGapMs: distribution(gaps),
    workerIdleMsPerImage: idle.idleMs / Math.max(1, idle.images),
    recordLatencyMs: distribution(timed.map((t) => t.recordedAt - t.returnedAt)),
    coordinatorCpuMsPerResult: (cpu.user + cpu.system) / 1000 / Math.max(1, coordinator.recorded),
    meanBatch: coordinator.recorded / Math.max(1, writes),
    specBytes: JSON.stringify(spec).length,
    meanTaskBytes: taskBytes / Math.max(1, tasks),
    meanResultBytes: resultBytes.reduce((sum, n) => sum + n, 0) / Math.max(1, resultBytes.length),
  }
}
