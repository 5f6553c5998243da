import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { fromWireJson } from '../../../src/common/ipc/wire'
import type { StudioCore } from '../../../src/main/api/studioCore'
import { TOKEN_HEADER, cookieName } from '../../../src/main/server/auth'
import { startStudioServer, type StudioServer } from '../../../src/main/server/server'
import { rawRequest } from '../../helpers/http'
import { createTestCore } from '../../helpers/studio'

let core: StudioCore
let server: StudioServer
let rendererDir: string

beforeAll(async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'studio-server-'))
  rendererDir = path.join(root, 'renderer')
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true })
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>studio</title>')
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(path.join(root, 'secret.txt'), 'outside the renderer folder')
  core = await createTestCore('browser')
  server = await startStudioServer({ dispatch: core.dispatch, events: core.events, rendererDir })
})

afterAll(async () => {
  await server.close()
  await core.close()
})

const host = (): string => `127.0.0.1:${server.port}`
const authed = (): Record<string, string> => ({ host: host(), [TOKEN_HEADER]: server.token })
const api = (channel: string, body: unknown, headers: Record<string, string> = authed()) =>
  rawRequest(server.port, {
    method: 'POST',
    path: `/api/${channel}`,
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

describe('browser-mode server', () => {
  it('listens on the loopback address only', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
  })

  it('refuses every request without the token', async () => {
    expect((await rawRequest(server.port, { path: '/', headers: { host: host() } })).status).toBe(403)
    expect((await rawRequest(server.port, { path: '/assets/app.js', headers: { host: host() } })).status).toBe(403)
    expect((await rawRequest(server.port, { path: '/?token=wrong', headers: { host: host() } })).status).toBe(403)
    const noToken = await api('app:info', {}, { host: host() })
    expect(noToken.status).toBe(403)
    expect(fromWireJson(noToken.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } })
  })

  it('refuses other origins and other host names even with the token', async () => {
    const otherOrigin = await api('app:info', {}, { ...authed(), origin: 'http://evil.example' })
    expect(otherOrigin.status).toBe(403)
    const rebinding = await api('app:info', {}, { host: `evil.example:${server.port}`, [TOKEN_HEADER]: server.token })
    expect(rebinding.status).toBe(403)
  })

  it('trades the launch token for a cookie and serves the renderer with a CSP', async () => {
    const first = await rawRequest(server.port, { path: `/?token=${server.token}`, headers: { host: host() } })
    expect(first.status).toBe(303)
    expect(first.headers.location).toBe('/')
    const cookie = String(first.headers['set-cookie']?.[0])
    expect(cookie).toContain(`${cookieName(server.port)}=${server.token}`)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Strict')

    const page = await rawRequest(server.port, { path: '/', headers: { host: host(), cookie: cookie.split(';')[0]! } })
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>studio</title>')
    const csp = String(page.headers['content-security-policy'])
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("default-src 'none'")
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).not.toContain('unsafe-eval')
  })

  it('answers contract channels with the shared dispatch', async () => {
    const response = await api('app:info', {})
    expect(response.status).toBe(200)
    const result = fromWireJson(response.body) as { ok: boolean; value: { host: string; onnxruntime: { version: string } } }
    expect(result.ok).toBe(true)
    expect(result.value.host).toBe('browser')
    expect(result.value.onnxruntime.version).toMatch(/^1\./)
  })

  it('rejects invalid payloads and bodies with readable errors', async () => {
    const invalid = fromWireJson((await api('app:info', { extra: true })).body)
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    const garbage = await rawRequest(server.port, {
      method: 'POST',
      path: '/api/app:info',
      headers: { ...authed(), 'content-type': 'application/json' },
      body: '{not json',
    })
    expect(garbage.status).toBe(400)
    expect(fromWireJson(garbage.body)).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    const unknown = fromWireJson((await api('shell:exec', { cmd: 'ls' })).body)
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-channel' } })
  })

  it('never serves files outside the renderer folder', async () => {
    for (const attempt of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00']) {
      const response = await rawRequest(server.port, { path: attempt, headers: authed() })
      expect(response.status, attempt).toBe(404)
      expect(response.body).not.toContain('outside the renderer folder')
    }
    expect((await rawRequest(server.port, { path: '/assets/app.js', headers: authed() })).status).toBe(200)
  })

  it('pushes contract events over the WebSocket only to token holders', async () => {
    const refused = new WebSocket(`ws://127.0.0.1:${server.port}/events`)
    const refusal = await new Promise<string>((resolve) => {
      refused.on('unexpected-response', (_req, res) => resolve(`status ${res.statusCode}`))
      refused.on('open', () => resolve('open'))
      refused.on('error', (error) => resolve(`error ${error.message}`))
    })
    expect(refusal).not.toBe('open')

    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/events`, { headers: { [TOKEN_HEADER]: server.token } })
    await new Promise<void>((resolve, reject) => {
      socket.on('open', () => resolve())
      socket.on('error', reject)
    })
    const received = new Promise<unknown>((resolve) => socket.on('message', (data) => resolve(fromWireJson(String(data)))))
    core.events.emit('app:error', { code: 'io', message: 'disk full' })
    expect(await received).toEqual({ event: 'app:error', payload: { code: 'io', message: 'disk full' } })
    socket.close()
  })
})
