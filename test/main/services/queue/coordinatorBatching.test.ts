/**
 * Results that are already finished when the coordinator looks (a studio resuming a run its
 * workers went on with) are recorded in one ledger write, not one per image; and the store's
 * ledger writes a batch all or nothing.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Worker } from 'bullmq'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storeLedger } from '../../../../src/main/services/queue/distributedPropagationJob'
import { QueueCoordinator, type ImageOutcome, type RecordedOutcome, type RunLedger } from '../../../../src/main/services/queue/queueCoordinator'
import { taskQueueName } from '../../../../src/main/services/queue/queueNames'
import { TASK_FORMAT, type RunSpec } from '../../../../src/main/services/queue/taskCodec'
import { writeSyntheticDataset } from '../../../../src/main/services/synthetic/writeSyntheticDataset'
import { NO_REDIS_MESSAGE, RedisInstance, redisServerBinary } from '../../../helpers/redisServer'
import { projectWithJob } from './fixture'

if (!redisServerBinary) console.warn(NO_REDIS_MESSAGE)

const SHA = 'd'.repeat(64)
const IMAGES = 12
let redis: RedisInstance | null = null

beforeAll(async () => {
  if (redisServerBinary) redis = await RedisInstance.start()
})
afterAll(() => redis?.kill())

function spec(run: string): RunSpec {
  const floats = Buffer.alloc(16).toString('base64')
  return {
    format: TASK_FORMAT,
    run,
    modelSha: SHA,
    segment: { maxInstances: 1 },
    target: { method: 'persam', locationFeatures: [floats], targetEmbedding: floats, maskFeature: floats, fusion: null, referencePeak: 1, fallbackReferences: 0 },
    images: { kind: 'path' },
  }
}

/** A ledger in memory that keeps every write it was given. */
function memoryLedger(): RunLedger & { writes: RecordedOutcome[][] } {
  const outcomes = new Map<number, ImageOutcome>()
  const images = Array.from({ length: IMAGES }, (_, i) => ({ imageId: i + 1, file: `/photos/${i + 1}.jpg` }))
  const writes: RecordedOutcome[][] = []
  return {
    writes,
    pending: () => images.filter((image) => !outcomes.has(image.imageId)),
    pendingCount: () => images.length - outcomes.size,
    isPending: (imageId) => !outcomes.has(imageId),
    record: (batch) => {
      writes.push([...batch])
      for (const { imageId, outcome } of batch) outcomes.set(imageId, outcome)
    },
  }
}

describe('the coordinator records in batches', () => {
  it.skipIf(!redisServerBinary)('records results finished while the studio was away in one write, each once', async () => {
    const ledger = memoryLedger()
    // First visit: the tasks are enqueued, then the studio quits, leaving them queued.
    const quit = new AbortController()
    const first = new QueueCoordinator({ url: redis!.url, spec: spec('away'), ledger, signal: quit.signal, keepTasksOnAbort: () => true })
    const firstRun = first.run()
    const connection = new Redis(redis!.url, { maxRetriesPerRequest: null })
    const queue = taskQueueName(SHA)
    // Wait (bounded) for the tasks, then stop the first visit before any worker runs.
    const counter = new Redis(redis!.url)
    for (let tries = 0; tries < 200 && (await counter.llen(`bull:${queue}:wait`)) < IMAGES; tries++) await new Promise((resolve) => setTimeout(resolve, 50))
    quit.abort('shutdown')
    await expect(firstRun).rejects.toMatchObject({ name: 'AbortError' })
    expect(ledger.writes).toEqual([])
    // A worker finishes every task while no studio listens.
    let finished = 0
    const worker = new Worker(queue, async (job) => {
      finished++
      return { proposals: [], width: 4, height: 4, worker: `w-${job.data.imageId}` }
    }, { connection, concurrency: 4 })
    for (let tries = 0; tries < 400 && finished < IMAGES; tries++) await new Promise((resolve) => setTimeout(resolve, 50))
    await worker.close()
    expect(finished).toBe(IMAGES)
    // The studio comes back: the finished results go into the ledger together.
    await new QueueCoordinator({ url: redis!.url, spec: spec('away'), ledger }).run()
    expect(ledger.writes).toHaveLength(1)
    expect(ledger.writes[0]!.map((entry) => entry.imageId).sort((a, b) => a - b)).toEqual(Array.from({ length: IMAGES }, (_, i) => i + 1))
    expect(ledger.writes[0]![0]!.outcome).toMatchObject({ proposals: [], width: 4, height: 4 })
    counter.disconnect()
    connection.disconnect()
  }, 120_000)
})

describe('the store ledger', () => {
  it('writes a batch all or nothing', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ledger-batch-'))
    const data = path.join(root, 'data')
    const manifest = await writeSyntheticDataset(data, { seed: 11, objectCount: 1, minImages: 5, maxImages: 5 })
    const { project, job } = await projectWithJob(path.join(root, 'project'), data, manifest)
    project.runs.start(job.id)
    const recorded: number[] = []
    const ledger = storeLedger(project, job, 1, (imageId) => recorded.push(imageId))
    const [first, second] = ledger.pending()
    ledger.record([{ imageId: first!.imageId, outcome: { proposals: [] } }])
    // The second entry repeats a recorded image: the store refuses it, and the first entry goes too.
    expect(() => ledger.record([{ imageId: second!.imageId, outcome: { proposals: [] } }, { imageId: first!.imageId, outcome: { error: 'twice' } }])).toThrow(/already done/)
    expect(ledger.isPending(second!.imageId)).toBe(true)
    expect(project.runs.imageStates(job.id, { state: 'pending' }).map((entry) => entry.imageId)).toContain(second!.imageId)
    expect(recorded).toEqual([first!.imageId])
    ledger.record([{ imageId: second!.imageId, outcome: { error: 'unreadable' } }])
    expect(ledger.isPending(second!.imageId)).toBe(false)
    expect(project.runs.imageStates(job.id, { state: 'failed' })).toEqual([{ imageId: second!.imageId, state: 'failed', error: 'unreadable' }])
    project.close()
  }, 120_000)
})
