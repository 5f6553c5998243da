/**
 * No request can wedge the browser-mode server: request bodies are bounded per request and in
 * total across concurrent requests (refused before they are read, the budget given back when a
 * request ends or aborts), and a malformed %-encoding in the path is the client's error (400).
 * Small caps are injected so the test sends a few kilobytes, not gigabytes.
 */
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fromWireJson } from '../../../src/common/ipc/wire'
import type { StudioCore } from '../../../src/main/api/studioCore'
import { TOKEN_HEADER } from '../../../src/main/server/auth'
import { mediaRoute } from '../../../src/main/server/mediaRoute'
import { startStudioServer, type StudioServer } from '../../../src/main/server/server'
import { rawRequest } from '../../helpers/http'
import { createTestCore } from '../../helpers/studio'

const MAX_BODY = 1000
const IN_FLIGHT = 2500

let core: StudioCore
let server: StudioServer

beforeAll(async () => {
  core = await createTestCore('browser')
  server = await startStudioServer({
    dispatch: core.dispatch,
    events: core.events,
    rendererDir: mkdtempSync(path.join(tmpdir(), 'renderer-')),
    routes: [mediaRoute(core.context)],
    maxBodyBytes: MAX_BODY,
    maxBodyBytesInFlight: IN_FLIGHT,
  })
})

afterAll(async () => {
  await server?.close()
  await core?.close()
})

const headers = (): Record<string, string> => ({ host: `127.0.0.1:${server.port}`, [TOKEN_HEADER]: server.token })

interface Response {
  readonly status: number
  readonly headers: IncomingMessage['headers']
  readonly body: string
}

/** An app:info request whose body is sent later (or never): the headers go out at once. */
function openRequest(options: { length?: number }): { request: ClientRequest; response: Promise<Response> } {
  const request = httpRequest({
    host: '127.0.0.1',
    port: server.port,
    method: 'POST',
    path: '/api/app:info',
    headers: {
      ...headers(),
      'content-type': 'application/json',
      ...(options.length === undefined ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(options.length) }),
    },
  })
  const response = new Promise<Response>((resolve, reject) => {
    request.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    request.on('error', reject)
  })
  request.flushHeaders()
  return { request, response }
}

/** `{}` padded with spaces to `length` bytes: a valid app:info payload of that size. */
const jsonOf = (length: number): string => '{}'.padEnd(length, ' ')

describe('request bodies', () => {
  it('refuses a body over the per-request cap with 413 before reading it', async () => {
    // Only the headers are sent: the answer cannot have waited for the body.
    const { request, response } = openRequest({ length: MAX_BODY + 1 })
    const refused = await response
    request.destroy()
    expect(refused.status).toBe(413)
    expect(fromWireJson(refused.body)).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    expect(server.bodyBytesInFlight).toBe(0)
  })

  it('refuses a chunked body once it passes the per-request cap', async () => {
    const { request, response } = openRequest({})
    request.write('x'.repeat(MAX_BODY / 2))
    request.write('x'.repeat(MAX_BODY / 2 + 1))
    const refused = await response
    request.destroy()
    expect(refused.status).toBe(413)
    await expect.poll(() => server.bodyBytesInFlight).toBe(0)
  })

  it('answers 503 with Retry-After while concurrent bodies hold the shared budget, and frees it when they end or abort', async () => {
    const size = 900
    const first = openRequest({ length: size })
    const second = openRequest({ length: size })
    first.request.write(jsonOf(10))
    second.request.write(jsonOf(10))
    await expect.poll(() => server.bodyBytesInFlight).toBe(2 * size)

    // 2 x 900 held, 900 more would pass 2500: refused from the headers alone.
    const third = openRequest({ length: size })
    const busy = await third.response
    third.request.destroy()
    expect(busy.status).toBe(503)
    expect(busy.headers['retry-after']).toBe('1')
    expect(server.bodyBytesInFlight).toBe(2 * size)

    // An aborted request gives its share back.
    first.request.destroy()
    first.response.catch(() => {})
    await expect.poll(() => server.bodyBytesInFlight).toBe(size)
    const fourth = openRequest({ length: size })
    fourth.request.end(jsonOf(size))
    const served = await fourth.response
    expect(served.status).toBe(200)
    expect(fromWireJson(served.body)).toMatchObject({ ok: true, value: { host: 'browser' } })

    // So does a request that completes.
    second.request.end(jsonOf(size).slice(10))
    expect((await second.response).status).toBe(200)
    await expect.poll(() => server.bodyBytesInFlight).toBe(0)
  })
})

describe('malformed %-encoding in the path', () => {
  it('is a 400, on API, media and static paths alike', async () => {
    for (const attempt of ['/api/%zz', '/api/app%3ainfo%E0%A4%A', '/media/image/%E0%A4%A/preview', '/%E0%A4%A']) {
      const method = attempt.startsWith('/api/') ? 'POST' : 'GET'
      const response = await rawRequest(server.port, { method, path: attempt, headers: { ...headers(), 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined })
      expect(response.status, attempt).toBe(400)
      expect(fromWireJson(response.body), attempt).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    }
  })

  it('still answers 403 first to a request without the token', async () => {
    expect((await rawRequest(server.port, { path: '/api/%zz', method: 'POST', headers: { host: `127.0.0.1:${server.port}` } })).status).toBe(403)
  })
})
