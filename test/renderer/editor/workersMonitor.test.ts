import { describe, expect, it } from 'vitest'
import type { QueueStatus, QueueWorkerInfo } from '../../../src/common/ipc/types'
import { StudioError } from '../../../src/common/ipc/result'
import { formatThroughput, imagesPerSecond, THROUGHPUT_WINDOW_MS, WorkersMonitor } from '../../../src/renderer/src/editor/workersMonitor'

const SHA = 'ab'.repeat(32)

function worker(fields: Partial<QueueWorkerInfo> = {}): QueueWorkerInfo {
  return { id: 'gpu-1-42-x', host: 'gpu-1', modelId: 'sam-vit-b', modelSha: SHA, provider: 'cuda', concurrency: 2, done: 0, failed: 0, imagesPerMinute: 0, lastSeen: 100_000, ...fields }
}

function status(workers: QueueWorkerInfo[], fields: Partial<QueueStatus> = {}): QueueStatus {
  return { url: 'redis://10.0.0.5:6379', workers, problem: null, checkedAt: 100_000, ...fields }
}

/** A studio answering queue:workers from a list of answers (an Error answer is thrown). */
function answering(...answers: (QueueStatus | Error)[]) {
  return {
    call: async () => {
      const next = answers.shift()
      if (!next) throw new Error('no more answers')
      if (next instanceof Error) throw next
      return next
    },
  } as unknown as ConstructorParameters<typeof WorkersMonitor>[0]
}

describe('imagesPerSecond', () => {
  it('is the count growth over the time between the first and last heartbeat', () => {
    expect(imagesPerSecond([{ at: 0, done: 3 }, { at: 2000, done: 5 }, { at: 4000, done: 11 }])).toBe(2)
    expect(imagesPerSecond([{ at: 0, done: 3 }])).toBeNull()
    expect(imagesPerSecond([{ at: 5, done: 3 }, { at: 5, done: 4 }])).toBeNull()
  })
})

describe('WorkersMonitor', () => {
  it('tells a queue that is not configured, connected or unreachable apart, and keeps the url when Redis is down', async () => {
    const monitor = new WorkersMonitor(answering(status([], { url: null }), status([]), status([], { problem: 'connect ECONNREFUSED 10.0.0.5:6379' })))
    expect(monitor.view().state).toBe('checking')
    await monitor.refresh()
    expect(monitor.view()).toMatchObject({ state: 'not-configured', url: null, workers: [] })
    await monitor.refresh()
    expect(monitor.view()).toMatchObject({ state: 'connected', url: 'redis://10.0.0.5:6379' })
    await monitor.refresh()
    expect(monitor.view()).toMatchObject({ state: 'unreachable', url: 'redis://10.0.0.5:6379', problem: 'connect ECONNREFUSED 10.0.0.5:6379' })
  })

  it('says the studio could not be asked when the call itself fails', async () => {
    const monitor = new WorkersMonitor(answering(status([worker()]), new StudioError('disconnected', 'the studio core is not reachable')))
    await monitor.refresh()
    await monitor.refresh()
    expect(monitor.view()).toMatchObject({ state: 'unreachable', url: 'redis://10.0.0.5:6379', workers: [] })
    expect(monitor.view().problem).toContain('the studio core is not reachable')
  })

  it('shows each worker with its host, short model sha, provider and how long ago it was seen', async () => {
    const monitor = new WorkersMonitor(answering(status([worker({ lastSeen: 93_400, done: 7, failed: 1 })])))
    await monitor.refresh()
    expect(monitor.view().workers).toEqual([
      { id: 'gpu-1-42-x', host: 'gpu-1', modelId: 'sam-vit-b', modelShaShort: SHA.slice(0, 12), provider: 'cuda', concurrency: 2, done: 7, failed: 1, imagesPerSecond: 0, lastSeenSecondsAgo: 7 },
    ])
  })

  it('measures throughput from the finished counts of the heartbeats in the window, on the worker clock', async () => {
    // The worker's clock runs an hour behind the studio's: only differences of its own times count.
    const skew = -3_600_000
    const beats = [
      worker({ lastSeen: skew + 10_000, done: 0, imagesPerMinute: 30 }),
      worker({ lastSeen: skew + 12_000, done: 4 }),
      worker({ lastSeen: skew + 14_000, done: 8, failed: 2 }),
      // A read that finds the same heartbeat adds nothing.
      worker({ lastSeen: skew + 14_000, done: 8, failed: 2 }),
    ]
    const monitor = new WorkersMonitor(answering(...beats.map((beat) => status([beat]))))
    const rates: number[] = []
    for (let i = 0; i < beats.length; i++) {
      await monitor.refresh()
      rates.push(monitor.view().workers[0]!.imagesPerSecond)
    }
    // First read: the worker's own last-minute rate; then finished (done and failed) per second.
    expect(rates).toEqual([0.5, 2, 2.5, 2.5])
  })

  it('lets an idle worker fall to zero once its busy heartbeats leave the window', async () => {
    const busy = [worker({ lastSeen: 0, done: 0 }), worker({ lastSeen: 1000, done: 5 })]
    const idle = [1, 2, 3, 4, 5].map((i) => worker({ lastSeen: 1000 + i * (THROUGHPUT_WINDOW_MS / 4), done: 5 }))
    const monitor = new WorkersMonitor(answering(...[...busy, ...idle].map((beat) => status([beat]))))
    for (let i = 0; i < busy.length + idle.length; i++) await monitor.refresh()
    expect(monitor.view().workers[0]!.imagesPerSecond).toBe(0)
  })

  it('drops a worker whose heartbeat expired, and measures it afresh when it returns', async () => {
    const monitor = new WorkersMonitor(
      answering(status([worker({ lastSeen: 0, done: 0 })]), status([worker({ lastSeen: 2000, done: 10 })]), status([]), status([worker({ lastSeen: 60_000, done: 10, imagesPerMinute: 0 })])),
    )
    await monitor.refresh()
    await monitor.refresh()
    expect(monitor.view().workers[0]!.imagesPerSecond).toBe(5)
    await monitor.refresh()
    expect(monitor.view().workers).toEqual([])
    await monitor.refresh()
    expect(monitor.view().workers[0]!.imagesPerSecond).toBe(0)
  })

  it('notifies subscribers on every read', async () => {
    const monitor = new WorkersMonitor(answering(status([]), status([worker()])))
    let notified = 0
    const unsubscribe = monitor.subscribe(() => notified++)
    await monitor.refresh()
    await monitor.refresh()
    unsubscribe()
    expect(notified).toBe(2)
  })
})

describe('formatThroughput', () => {
  it('shows a dash for an idle worker and two decimals below ten', () => {
    expect([formatThroughput(0), formatThroughput(0.8512), formatThroughput(23.4)]).toEqual(['—', '0.85 img/s', '23 img/s'])
  })
})
