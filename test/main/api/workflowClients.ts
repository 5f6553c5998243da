/** The studio contract seen from a client: in-process dispatch, or the browser-mode server. */
import WebSocket from 'ws'
import type { EventChannel, EventPayloadOf, InvokeChannel, RequestOf, ResponseOf } from '../../../src/common/ipc/contract'
import { StudioError, type Result } from '../../../src/common/ipc/result'
import { fromWireJson, toWireJson } from '../../../src/common/ipc/wire'
import type { StudioCore } from '../../../src/main/api/studioCore'
import { mediaRoute } from '../../../src/main/server/mediaRoute'
import { TOKEN_HEADER } from '../../../src/main/server/auth'
import { startStudioServer, type StudioServer } from '../../../src/main/server/server'

export interface ReceivedEvent {
  readonly event: string
  readonly payload: unknown
}

export interface StudioClient {
  readonly kind: 'in-process' | 'http'
  call<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>
  /** Every event received so far, in order. */
  readonly events: ReceivedEvent[]
  eventsOf<E extends EventChannel>(event: E): EventPayloadOf<E>[]
  /** GET a path of the server (media); in-process clients have none. */
  get?(path: string): Promise<{ status: number; contentType: string | null; bytes: Uint8Array }>
  close(): Promise<void>
}

function unwrap<T>(result: Result<unknown>): T {
  if (!result.ok) throw StudioError.fromData(result.error)
  return result.value as T
}

function eventsOf(events: ReceivedEvent[]) {
  return <E extends EventChannel>(event: E) => events.filter((e) => e.event === event).map((e) => e.payload as EventPayloadOf<E>)
}

export function inProcessClient(core: StudioCore): StudioClient {
  const events: ReceivedEvent[] = []
  const unsubscribe = core.events.subscribe((event, payload) => events.push({ event, payload }))
  return {
    kind: 'in-process',
    call: async (channel, request) => unwrap(await core.dispatch(channel, request, { transport: 'in-process' })),
    events,
    eventsOf: eventsOf(events),
    async close() {
      unsubscribe()
    },
  }
}

export async function httpClient(core: StudioCore, rendererDir: string): Promise<StudioClient & { server: StudioServer }> {
  const server = await startStudioServer({ dispatch: core.dispatch, events: core.events, rendererDir, routes: [mediaRoute(core.context)] })
  const events: ReceivedEvent[] = []
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/events`, { headers: { [TOKEN_HEADER]: server.token } })
  socket.on('message', (data) => {
    const { event, payload } = fromWireJson(String(data)) as ReceivedEvent
    events.push({ event, payload })
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  const headers = { [TOKEN_HEADER]: server.token, 'content-type': 'application/json' }
  return {
    kind: 'http',
    server,
    async call(channel, request) {
      const response = await fetch(`${server.url}/api/${channel}`, { method: 'POST', headers, body: toWireJson(request) })
      return unwrap(fromWireJson(await response.text()) as Result<unknown>)
    },
    events,
    eventsOf: eventsOf(events),
    async get(path) {
      const response = await fetch(`${server.url}${path}`, { headers: { [TOKEN_HEADER]: server.token } })
      return { status: response.status, contentType: response.headers.get('content-type'), bytes: new Uint8Array(await response.arrayBuffer()) }
    },
    async close() {
      socket.close()
      await server.close()
    },
  }
}

/** Polls job:list until the job has finished; returns its final report. */
export async function waitForJob(client: StudioClient, jobId: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const job = (await client.call('job:list', {})).find((j) => j.id === jobId)
    if (!job) throw new Error(`job ${jobId} disappeared`)
    if (job.state !== 'running' && job.state !== 'queued') return job
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.state} after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
