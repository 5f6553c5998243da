import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeSyntheticDataset, type SyntheticManifest } from '../../src/main/services/synthetic/writeSyntheticDataset'
import { NO_REDIS_MESSAGE, RedisInstance, redisServerBinary, startCliWorker, type CliWorker } from '../helpers/redisServer'

const run = promisify(execFile)
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  run(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], { maxBuffer: 16 * 2 ** 20, env: { ...process.env, PERSAM_QUEUE_URL: '', ...env } })

if (!redisServerBinary) console.warn(NO_REDIS_MESSAGE)

let data: string
let manifest: SyntheticManifest
let redis: RedisInstance | null = null
const workers: CliWorker[] = []

beforeAll(async () => {
  data = mkdtempSync(path.join(tmpdir(), 'cli-queue-'))
  manifest = await writeSyntheticDataset(data, { seed: 9, objectCount: 1, minImages: 6, maxImages: 6 })
  if (!redisServerBinary) return
  redis = await RedisInstance.start()
  workers.push(await startCliWorker(redis.url), await startCliWorker(redis.url))
}, 300_000)

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.kill('SIGTERM')))
  await redis?.kill()
})

describe('persam-studio worker and propagate --queue', () => {
  it.skipIf(!redisServerBinary)('propagate --queue writes the same COCO proposals as the in-process command', async () => {
    const object = manifest.objects[0]!
    const args = (out: string) => ['propagate', '--ref', path.join(data, object.images[0]!.file), '--ref-mask', path.join(data, object.images[0]!.mask), '--images', path.join(data, 'Images', object.name), '--out', out, '--method', 'persam-f', '--ep', 'cpu']
    const local = path.join(data, 'local.json')
    const queued = path.join(data, 'queued.json')
    await cli(args(local))
    await cli([...args(queued), '--queue', redis!.url])
    const strip = (file: string) => {
      const coco = JSON.parse(readFileSync(file, 'utf8'))
      return { images: coco.images, annotations: coco.annotations }
    }
    const expected = strip(local)
    expect(expected.annotations.length).toBeGreaterThan(0)
    expect(strip(queued)).toEqual(expected)
  }, 300_000)

  it('refuses a queue address that is not redis://', async () => {
    await expect(cli(['worker', '--queue', 'http://localhost:6379'])).rejects.toMatchObject({ stderr: expect.stringContaining('expected redis://HOST:PORT') })
    await expect(cli(['worker', '--queue', 'redis://h:1', '--map-path', 'nonsense'])).rejects.toMatchObject({ stderr: expect.stringContaining('--map-path "nonsense"') })
  })
})
