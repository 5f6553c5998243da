/**
 * What the contract layer costs per call: validation plus dispatch in-process, and the full
 * browser-mode HTTP round trip, each against a floor measured in the same run (a direct handler
 * call; a bare node:http server answering the same JSON).
 */
import { mkdtempSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { createStudioCore } from '../src/main/api/studioCore'
import { createHandlers } from '../src/main/api/handlers'
import { TOKEN_HEADER } from '../src/main/server/auth'
import { startStudioServer } from '../src/main/server/server'
import { round, timeCalls, type Benchmark } from './lib/harness'

async function bareServer(body: string): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, port: (server.address() as AddressInfo).port }
}

const benchmark: Benchmark = {
  name: 'ipc-dispatch',
  description: 'contract validation + dispatch, in-process and over the browser-mode server',
  async run() {
    const core = await createStudioCore({ host: 'cli', dataDir: mkdtempSync(path.join(tmpdir(), 'bench-data-')), log: () => {} })
    const handlers = createHandlers(core.context)
    const direct = await timeCalls(() => handlers['app:info']({}, { transport: 'in-process' }), { iterations: 5000 })
    const dispatched = await timeCalls(() => core.dispatch('app:info', {}, { transport: 'in-process' }), { iterations: 5000 })

    const studio = await startStudioServer({ dispatch: core.dispatch, events: core.events, rendererDir: '.' })
    const floor = await bareServer(JSON.stringify({ ok: true, value: await handlers['app:info']({}, { transport: 'in-process' }) }))
    const post = (port: number, headers: Record<string, string>) => () =>
      fetch(`http://127.0.0.1:${port}/api/app:info`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' }).then((r) => r.text())
    const viaServer = await timeCalls(post(studio.port, { [TOKEN_HEADER]: studio.token }), { iterations: 1000 })
    const viaFloor = await timeCalls(post(floor.port, {}), { iterations: 1000 })
    await studio.close()
    floor.server.close()
    await core.close()

    const rows = [
      { measurement: 'handler call (floor)', p50_ms: round(direct.p50, 4), p95_ms: round(direct.p95, 4), ratio_p50: 1 },
      { measurement: 'dispatch (validate + call)', p50_ms: round(dispatched.p50, 4), p95_ms: round(dispatched.p95, 4), ratio_p50: round(dispatched.p50 / direct.p50, 2) },
      { measurement: 'bare HTTP server (floor)', p50_ms: round(viaFloor.p50), p95_ms: round(viaFloor.p95), ratio_p50: 1 },
      { measurement: 'studio server /api', p50_ms: round(viaServer.p50), p95_ms: round(viaServer.p95), ratio_p50: round(viaServer.p50 / viaFloor.p50, 2) },
    ]
    return {
      rows,
      figures: {
        directMs: direct,
        dispatchMs: dispatched,
        httpFloorMs: viaFloor,
        httpStudioMs: viaServer,
        httpOverheadP95Ms: round(viaServer.p95 - viaFloor.p95),
      },
    }
  },
}

export default benchmark
