import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runPropagationJob } from '../../../../src/main/services/propagation/propagationJob'
import { runDistributedPropagationJob } from '../../../../src/main/services/queue/distributedPropagationJob'
import { ImageServer } from '../../../../src/main/services/queue/imageServer'
import { modelFingerprint, type ModelFingerprint } from '../../../../src/main/services/queue/modelFingerprint'
import { listWorkers } from '../../../../src/main/services/queue/workerRegistry'
import { SamRuntime } from '../../../../src/main/services/sam/samRuntime'
import type { Project, PropagationRun } from '../../../../src/main/services/store'
import { writeSyntheticDataset, type SyntheticManifest } from '../../../../src/main/services/synthetic/writeSyntheticDataset'
import { NO_REDIS_MESSAGE, RedisInstance, redisServerBinary, startCliWorker, type CliWorker } from '../../../helpers/redisServer'
import { projectWithJob, proposalsByImage } from './fixture'

if (!redisServerBinary) console.warn(NO_REDIS_MESSAGE)
const describeWithRedis = redisServerBinary ? describe : describe.skip

/** A small seeded generator, so the kill moments are the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

let root: string
let data: string
let manifest: SyntheticManifest
let runtime: SamRuntime
let model: ModelFingerprint
let redis: RedisInstance
let baseline: Map<string, string[]>
const workers: CliWorker[] = []
let projects = 0

async function freshFixture() {
  return projectWithJob(path.join(root, `project-${++projects}`), data, manifest)
}

function distributed(project: Project, job: PropagationRun, options: { onProgress?: (done: number) => void; imageServer?: ImageServer; attempts?: number; quitAfter?: number } = {}) {
  const controller = new AbortController()
  return runDistributedPropagationJob(
    project,
    runtime,
    job,
    {
      signal: controller.signal,
      progress: (done) => {
        options.onProgress?.(done)
        // A quit, as the studio's shutdown signals it: the store job stays running, the tasks queued.
        if (options.quitAfter !== undefined && done >= options.quitAfter) controller.abort('shutdown')
      },
    },
    { onProposals: () => undefined },
    { url: redis.url, modelSha: model.sha, idleReconcileMs: 1000, log: (message) => { if (/coordinator stops/.test(message)) console.error(message) }, attempts: options.attempts ?? 3, imageServer: options.imageServer ?? null },
  )
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'queue-'))
  data = path.join(root, 'data')
  manifest = await writeSyntheticDataset(data, { seed: 5, objectCount: 1, minImages: 9, maxImages: 9 })
  runtime = await SamRuntime.open({ model: { dir: 'resources/models/toy-sam' }, providers: ['cpu'] })
  model = await modelFingerprint({ dir: 'resources/models/toy-sam' })
  const { project, job } = await freshFixture()
  await runPropagationJob(project, runtime, job, { signal: new AbortController().signal, progress: () => undefined }, { onProposals: () => undefined })
  baseline = proposalsByImage(project, job.categoryId)
  project.close()
  if (!redisServerBinary) return
  redis = await RedisInstance.start()
  workers.push(...(await Promise.all([0, 1, 2].map(() => startCliWorker(redis.url)))))
}, 300_000)

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.kill('SIGTERM')))
  await redis?.kill()
  await runtime?.close()
})

describeWithRedis('distributed propagation (BullMQ workers)', () => {
  it('three CLI workers store proposals byte-identical to the in-process runner, and announce themselves', async () => {
    expect([...baseline.values()].flat().length).toBeGreaterThan(4)
    const { project, job } = await freshFixture()
    const report = await distributed(project, job)
    expect(project.runs.require(job.id)).toMatchObject({ state: 'done', done: job.total, failed: 0 })
    expect(report.images).toBe(job.total)
    expect(proposalsByImage(project, job.categoryId)).toEqual(baseline)
    const connection = new Redis(redis.url)
    // The workers' counters land right after their last result: wait for them (bounded).
    let announced = await listWorkers(connection)
    for (let tries = 0; tries < 100 && announced.reduce((sum, worker) => sum + worker.done, 0) < job.total; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      announced = await listWorkers(connection)
    }
    connection.disconnect()
    expect(announced).toHaveLength(3)
    for (const worker of announced) expect(worker).toMatchObject({ modelSha: model.sha, modelId: 'toy-sam', provider: 'cpu' })
    expect(announced.reduce((sum, worker) => sum + worker.done, 0)).toBeGreaterThanOrEqual(job.total)
    project.close()
  }, 300_000)

  it('five rounds of SIGKILL of a worker at seeded moments: every image done exactly once, nothing lost', async () => {
    const random = seeded(20261203)
    for (let round = 0; round < 5; round++) {
      const { project, job } = await freshFixture()
      const killAt = 1 + Math.floor(random() * (job.total - 2))
      const victim = Math.floor(random() * workers.length)
      let replaced: Promise<void> | null = null
      await distributed(project, job, {
        onProgress: (done) => {
          if (done !== killAt || replaced) return
          replaced = workers[victim]!.kill('SIGKILL').then(async () => {
            workers[victim] = await startCliWorker(redis.url)
          })
        },
      })
      await replaced
      expect(project.runs.imageStates(job.id, { state: 'failed' }), `round ${round}`).toEqual([])
      expect(project.runs.require(job.id), `round ${round}`).toMatchObject({ state: 'done', done: job.total, failed: 0 })
      expect(proposalsByImage(project, job.categoryId), `round ${round}`).toEqual(baseline)
      project.close()
    }
  }, 600_000)

  it('completes a job across a Redis restart (kill and restart on the same port)', async () => {
    const { project, job } = await freshFixture()
    let restarted: Promise<void> | null = null
    await distributed(project, job, {
      onProgress: (done) => {
        if (done === 2 && !restarted) restarted = redis.kill().then(() => redis.restart())
      },
    })
    expect(restarted).not.toBeNull()
    await restarted
    expect(project.runs.require(job.id)).toMatchObject({ state: 'done', done: job.total, failed: 0 })
    expect(proposalsByImage(project, job.categoryId)).toEqual(baseline)
    project.close()
  }, 300_000)

  it('resumes after a studio quit mid-job: the rest is recorded once, nothing twice', async () => {
    const { project, job } = await freshFixture()
    await expect(distributed(project, job, { quitAfter: 2 })).rejects.toMatchObject({ name: 'AbortError' })
    const stopped = project.runs.require(job.id)
    expect(stopped.state).toBe('running')
    expect(stopped.pending).toBeGreaterThan(0)
    expect(project.runs.interruptRunning()).toBe(1)
    await distributed(project, project.runs.require(job.id))
    expect(project.runs.require(job.id)).toMatchObject({ state: 'done', done: job.total, failed: 0 })
    expect(proposalsByImage(project, job.categoryId)).toEqual(baseline)
    project.close()
  }, 300_000)

  it('marks an image that keeps failing as failed with the reason; the others are done', async () => {
    // Images no worker has cached yet (another seed), one corrupted after the import.
    const otherData = path.join(root, 'data-other')
    const otherManifest = await writeSyntheticDataset(otherData, { seed: 6, objectCount: 1, minImages: 6, maxImages: 6 })
    const { project, job } = await projectWithJob(path.join(root, 'project-broken'), otherData, otherManifest)
    const [, victim] = project.runs.imageStates(job.id)
    const image = project.images.require(victim!.imageId)
    writeFileSync(project.absolutePath(image.relPath), 'not an image at all')
    await distributed(project, job, { attempts: 2 })
    expect(project.runs.require(job.id)).toMatchObject({ state: 'done', done: job.total - 1, failed: 1 })
    const failed = project.runs.imageStates(job.id, { state: 'failed' })
    expect(failed).toEqual([{ imageId: image.id, state: 'failed', error: expect.stringMatching(/\S/) }])
    const stored = proposalsByImage(project, job.categoryId)
    expect(stored.get(image.relPath)).toEqual([])
    for (const entry of project.runs.imageStates(job.id, { state: 'done' })) expect(stored.get(project.images.require(entry.imageId).relPath)!.length).toBeGreaterThan(0)
    project.close()
  }, 300_000)

  it('serves images to workers by token when asked, with identical results', async () => {
    const server = await ImageServer.listen('127.0.0.1', 0)
    try {
      const { project, job } = await freshFixture()
      await distributed(project, job, { imageServer: server })
      expect(project.runs.imageStates(job.id, { state: 'failed' })).toEqual([])
      expect(proposalsByImage(project, job.categoryId)).toEqual(baseline)
      project.close()
    } finally {
      await server.close()
    }
  }, 300_000)
})
