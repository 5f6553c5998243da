import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { queueStatus } from '../../../../src/main/services/queue/studioQueue'
import { WorkerHeartbeat } from '../../../../src/main/services/queue/workerRegistry'
import { freePort, NO_REDIS_MESSAGE, RedisInstance, redisServerBinary } from '../../../helpers/redisServer'

if (!redisServerBinary) console.warn(NO_REDIS_MESSAGE)

function dataDirWith(settings: object | null): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'queue-status-'))
  if (settings) writeFileSync(path.join(dir, 'queue.json'), JSON.stringify(settings))
  return dir
}

let redis: RedisInstance | null = null
afterAll(() => redis?.kill())

describe('queueStatus (the queue:workers answer)', () => {
  it('is "not configured" without queue settings', async () => {
    expect(await queueStatus(dataDirWith(null))).toEqual({ url: null, workers: [], problem: null })
  })

  it('keeps the configured url and says why when Redis does not answer', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`
    const status = await queueStatus(dataDirWith({ url }))
    expect(status).toMatchObject({ url, workers: [] })
    expect(status.problem).toMatch(/ECONNREFUSED|closed/)
  })

  it('names the file and field of a bad queue.json', async () => {
    const status = await queueStatus(dataDirWith({ url: 'http://nope' }))
    expect(status.url).toBeNull()
    expect(status.problem).toMatch(/queue\.json.*url/)
  })

  it.skipIf(!redisServerBinary)('lists a worker that beats, and forgets it once it stopped', async () => {
    redis = await RedisInstance.start()
    const connection = new Redis(redis.url)
    const heartbeat = new WorkerHeartbeat(connection, { id: 'gpu-1-1-a', host: 'gpu-1', modelId: 'toy-sam', modelSha: 'c'.repeat(64), provider: 'cuda', concurrency: 2 }, 60_000)
    await heartbeat.start()
    const dataDir = dataDirWith({ url: redis.url })
    const status = await queueStatus(dataDir)
    expect(status).toMatchObject({ url: redis.url, problem: null, workers: [{ id: 'gpu-1-1-a', host: 'gpu-1', provider: 'cuda', concurrency: 2, modelSha: 'c'.repeat(64), done: 0 }] })
    await heartbeat.stop()
    expect((await queueStatus(dataDir)).workers).toEqual([])
    connection.disconnect()
  })
})
