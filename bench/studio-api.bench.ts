/**
 * The studio API under load, through the browser-mode server: the click-to-mask round trip on a
 * prepared image (embedding cached) split into decoder time and everything else (target: the
 * rest under 15 ms at p95), against a bare app:info round trip on the same server; and the
 * serving process's event-loop delay while a propagation job runs (target: p99 under 50 ms),
 * against the idle delay measured in the same run.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Result } from '../src/common/ipc/result'
import { fromWireJson, toWireJson } from '../src/common/ipc/wire'
import type { SegmentPreview } from '../src/common/ipc/types'
import { demoPhotos, renderDemoPhoto } from '../src/common/synthetic'
import { createStudioCore } from '../src/main/api/studioCore'
import { TOKEN_HEADER } from '../src/main/server/auth'
import { mediaRoute } from '../src/main/server/mediaRoute'
import { startStudioServer } from '../src/main/server/server'
import { distribution, round, type Benchmark, eventLoopDelayWhile } from './lib/harness'

const benchmark: Benchmark = {
  name: 'studio-api',
  description: 'click-to-mask round trip through the browser-mode server; event-loop delay during propagation',
  async run() {
    const core = await createStudioCore({ host: 'browser', dataDir: mkdtempSync(path.join(tmpdir(), 'bench-api-')), log: () => {} })
    const server = await startStudioServer({ dispatch: core.dispatch, events: core.events, rendererDir: '.', routes: [mediaRoute(core.context)] })
    const call = async <T>(channel: string, payload: unknown): Promise<T> => {
      const response = await fetch(`${server.url}/api/${channel}`, { method: 'POST', headers: { [TOKEN_HEADER]: server.token, 'content-type': 'application/json' }, body: toWireJson(payload) })
      const result = fromWireJson(await response.text()) as Result<T>
      if (!result.ok) throw new Error(result.error.message)
      return result.value
    }
    try {
      await call('project:openDemo', {})
      const [category] = await call<{ id: number }[]>('category:list', {})
      const page = await call<{ items: { id: number; fileName: string }[] }>('image:list', { offset: 0, limit: 100 })
      const imageId = page.items.find((item) => item.fileName === 'photo-00.jpg')!.id
      const scene = renderDemoPhoto(demoPhotos()[0]!)
      const inside = scene.instanceMasks[0]!.indexOf(1, Math.floor(scene.instanceMasks[0]!.length / 2))
      const point = { x: inside % scene.width, y: Math.floor(inside / scene.width), positive: true }
      // Prepare the image (embedding computed and cached), then measure clicks.
      await call('segment:preview', { requestId: 0, imageId, points: [point] })
      const overhead: number[] = []
      const decoder: number[] = []
      const total: number[] = []
      for (let i = 1; i <= 60; i++) {
        const start = performance.now()
        const preview = await call<SegmentPreview>('segment:preview', { requestId: i, imageId, points: [{ ...point, x: point.x + (i % 5) }] })
        const elapsed = performance.now() - start
        if (i <= 10) continue // warm-up
        total.push(elapsed)
        decoder.push(preview.timings.decoderMs)
        overhead.push(elapsed - preview.timings.decoderMs)
      }
      const floorSamples: number[] = []
      for (let i = 0; i < 60; i++) {
        const start = performance.now()
        await call('app:info', {})
        if (i >= 10) floorSamples.push(performance.now() - start)
      }
      const floor = distribution(floorSamples)
      const over = distribution(overhead)
      const dec = distribution(decoder)
      const all = distribution(total)

      // Reference, then propagate over the demo while measuring this process's event loop.
      const commitPreview = await call<SegmentPreview>('segment:preview', { requestId: 99, imageId, points: [point] })
      const annotation = await call<{ id: number }>('segment:commit', { previewId: commitPreview.previewId, candidate: commitPreview.recommended, categoryId: category!.id })
      await call('annotation:setReference', { annotationId: annotation.id, isReference: true })
      const idle = await eventLoopDelayWhile(() => new Promise((resolve) => setTimeout(resolve, 2000)))
      const busy = await eventLoopDelayWhile(async () => {
        const job = await call<{ id: string }>('propagation:start', { categoryId: category!.id, method: 'persam-f', scope: 'all' })
        for (;;) {
          const jobs = await call<{ id: string; state: string }[]>('job:list', {})
          if (jobs.find((j) => j.id === job.id)?.state !== 'running') break
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
      })
      const rows = [
        { measurement: 'app:info round trip (floor)', p50_ms: round(floor.p50, 2), p95_ms: round(floor.p95, 2), ratio_p95: 1, target: '' },
        { measurement: 'click to mask, total', p50_ms: round(all.p50, 2), p95_ms: round(all.p95, 2), ratio_p95: round(all.p95 / floor.p95, 2), target: '' },
        { measurement: 'click to mask, decoder', p50_ms: round(dec.p50, 2), p95_ms: round(dec.p95, 2), ratio_p95: round(dec.p95 / floor.p95, 2), target: '' },
        { measurement: 'click to mask, overhead', p50_ms: round(over.p50, 2), p95_ms: round(over.p95, 2), ratio_p95: round(over.p95 / floor.p95, 2), target: '< 15 ms p95' },
        { measurement: 'event-loop delay, idle (floor)', p50_ms: round(idle.p50, 2), p95_ms: round(idle.p99, 2), ratio_p95: 1, target: '(p99)' },
        { measurement: 'event-loop delay, propagating', p50_ms: round(busy.p50, 2), p95_ms: round(busy.p99, 2), ratio_p95: round(busy.p99 / idle.p99, 2), target: '< 50 ms p99' },
      ]
      return { rows, figures: { clickTotalMs: all, clickDecoderMs: dec, clickOverheadMs: over, floorMs: floor, eventLoopIdleMs: idle, eventLoopPropagatingMs: busy } }
    } finally {
      await server.close()
      await core.close()
    }
  },
}

export default benchmark
