/**
 * A stand-in for a very fast GPU worker, to find how many results per second one coordinator can
 * record: takes tasks from a model's queue and answers at once with one box proposal the size of
 * the image (read from its header), shaped as a real worker's result.
 * Usage: node --import tsx bench/lib/echoWorker.ts <redis-url> <model-sha> <concurrency>
 */
import { Worker, type Job } from 'bullmq'
import { Redis } from 'ioredis'
import sharp from 'sharp'
import { taskQueueName } from '../../src/main/services/queue/queueNames'
import { parseTask, type TaskResult } from '../../src/main/services/queue/taskCodec'
import { storedMaskFromBinary } from '../../src/main/services/store/masks'

const [url, sha, concurrency] = process.argv.slice(2)
const connection = new Redis(url!, { maxRetriesPerRequest: null })
const worker = new Worker(
  taskQueueName(sha!),
  async (job: Job): Promise<TaskResult> => {
    const receivedAt = Date.now()
    const task = parseTask(job.data)
    const { width = 1, height = 1 } = await sharp(task.file).metadata()
    const data = new Uint8Array(width * height)
    for (let y = Math.floor(height / 4); y < Math.floor((3 * height) / 4); y++) data.fill(1, y * width + Math.floor(width / 4), y * width + Math.floor((3 * width) / 4))
    const mask = storedMaskFromBinary({ width, height, data })
    return { proposals: [{ mask, status: 'proposed', score: 0.9, method: null }], width, height, computeMs: 0, receivedAt, returnedAt: Date.now() }
  },
  { connection, concurrency: Number(concurrency ?? 8) },
)
await worker.waitUntilReady()
process.stderr.write('waiting for tasks\n')
const stop = async () => {
  await worker.close()
  connection.disconnect()
}
process.once('SIGTERM', () => void stop())
process.once('SIGINT', () => void stop())
