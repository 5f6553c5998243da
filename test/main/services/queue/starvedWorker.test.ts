/**
 * A live worker that loses its task's lock (here: stopped with SIGSTOP past its lock, as a worker
 * starved of CPU on a loaded machine would be) must not cost an image: the task is re-delivered
 * to another worker, the stopped one resumes and finishes late, and every image is still recorded
 * exactly once, none failed. This is why the queue tests need not bet on lock renewals being on
 * time: a late renewal only costs a second delivery.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runPropagationJob } from '../../../../src/main/services/propagation/propagationJob'
import { runDistributedPropagationJob } from '../../../../src/main/services/queue/distributedPropagationJob'
import { modelFingerprint, type ModelFingerprint } from '../../../../src/main/services/queue/modelFingerprint'
import { SamRuntime } from '../../../../src/main/services/sam/samRuntime'
import { writeSyntheticDataset, type SyntheticManifest } from '../../../../src/main/services/synthetic/writeSyntheticDataset'
import { NO_REDIS_MESSAGE, RedisInstance, redisServerBinary, startCliWorker, type CliWorker } from '../../../helpers/redisServer'
import { projectWithJob, proposalsByImage } from './fixture'

if (!redisServerBinary) console.warn(NO_REDIS_MESSAGE)

let root: string
let data: string
let manifest: SyntheticManifest
let runtime: SamRuntime
let model: ModelFingerprint
let redis: RedisInstance | null = null
let baseline: Map<string, string[]>
const workers: CliWorker[] = []

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'queue-starved-'))
  data = path.join(root, 'data')
  manifest = await writeSyntheticDataset(data, { seed: 7, objectCount: 1, minImages: 6, maxImages: 6 })
  runtime = await SamRuntime.open({ model: { dir: 'resources/models/toy-sam' }, providers: ['cpu'] })
  model = await modelFingerprint({ dir: 'resources/models/toy-sam' })
  const { project, job } = await projectWithJob(path.join(root, 'baseline'), data, manifest)
  await runPropagationJob(project, runtime, job, { signal: new AbortController().signal, progress: () => undefined }, { onProposals: () => undefined })
  baseline = proposalsByImage(project, job.categoryId)
  project.close()
  if (redisServerBinary) redis = await RedisInstance.start()
}, 300_000)

afterAll(async () => {
  for (const worker of workers) worker.child.kill('SIGCONT')
  await Promise.all(workers.map((worker) => worker.kill('SIGTERM')))
  await redis?.kill()
  await runtime?.close()
})

describe('a worker that loses its lock while alive', () => {
  it.skipIf(!redisServerBinary)('has its task re-delivered, finishes late, and every image is still recorded once, none failed', async () => {
    // A 1 s lock: stopped for longer than that, the worker has certainly lost it.
    const stopped = await startCliWorker(redis!.url, ['--lock-ms', '1000', '--stalled-ms', '500'])
    workers.push(stopped)
    const { project, job } = await projectWithJob(path.join(root, 'queued'), data, manifest)
    let paused: Promise<void> | null = null
    await runDistributedPropagationJob(
      project,
      runtime,
      job,
      {
        signal: new AbortController().signal,
        progress: (done) => {
          // One image recorded: the only worker has already taken the next task. Stop it there,
          // and start another worker, which finds the task stalled once the lock expired.
          if (done !== 1 || paused) return
          stopped.child.kill('SIGSTOP')
          paused = startCliWorker(redis!.url, ['--stalled-ms', '500']).then((other) => {
            workers.push(other)
          })
        },
      },
      { onProposals: () => undefined },
      { url: redis!.url, modelSha: model.sha, idleReconcileMs: 1000, attempts: 3, imageServer: null },
    )
    await paused
    // The stopped worker resumes: it finishes the task it lost, whose result is not recorded again.
    stopped.child.kill('SIGCONT')
    expect(project.runs.imageStates(job.id, { state: 'failed' })).toEqual([])
    expect(project.runs.require(job.id)).toMatchObject({ state: 'done', done: job.total, failed: 0 })
    expect(proposalsByImage(project, job.categoryId)).toEqual(baseline)
    project.close()
    // It did lose the lock (BullMQ refuses its late completion), and it is still alive to take more.
    await expect.poll(() => stopped.log!(), { timeout: 60_000, interval: 200 }).toMatch(/lock|missing key|not in the active state/i)
    expect(stopped.child.exitCode).toBeNull()
  }, 300_000)
})
