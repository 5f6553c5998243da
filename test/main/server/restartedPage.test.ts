/**
 * A tab from before a restart (its cookie holds the old token) that loads a page gets a short
 * HTML page saying to open the new address, with 401; API calls keep the JSON error, and a
 * wrong Host still gets the plain 403 (no page for DNS-rebinding attempts).
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fromWireJson } from '../../../src/common/ipc/wire'
import type { StudioCore } from '../../../src/main/api/studioCore'
import { cookieName } from '../../../src/main/server/auth'
import { startStudioServer, type StudioServer } from '../../../src/main/server/server'
import { rawRequest } from '../../helpers/http'
import { createTestCore } from '../../helpers/studio'

let core: StudioCore
let server: StudioServer

beforeAll(async () => {
  const rendererDir = path.join(mkdtempSync(path.join(tmpdir(), 'studio-restarted-')), 'renderer')
  mkdirSync(rendererDir, { recursive: true })
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>studio</title>')
  core = await createTestCore('browser')
  server = await startStudioServer({ dispatch: core.dispatch, events: core.events, rendererDir })
})

afterAll(async () => {
  await server.close()
  await core.close()
})

const staleTab = () => ({ host: `127.0.0.1:${server.port}`, cookie: `${cookieName(server.port)}=an-old-token` })

describe('a page loaded with an old token', () => {
  it('is a 401 HTML page that says to open the new address', async () => {
    const response = await rawRequest(server.port, { path: '/', headers: { ...staleTab(), 'sec-fetch-mode': 'navigate', accept: 'text/html' } })
    expect(response.status).toBe(401)
    expect(response.headers['content-type']).toMatch(/^text\/html/)
    expect(response.body).toContain('The studio was restarted')
    expect(response.body).toContain('new address printed in the terminal')
    expect(response.body).not.toContain('unauthorized')
  })

  it('leaves API calls with the JSON error, and a foreign Host with the plain 403', async () => {
    const apiCall = await rawRequest(server.port, { method: 'POST', path: '/api/app:info', headers: { ...staleTab(), 'content-type': 'application/json', accept: 'text/html' }, body: '{}' })
    expect(apiCall.status).toBe(403)
    expect(fromWireJson(apiCall.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } })
    const rebinding = await rawRequest(server.port, { path: '/', headers: { host: `evil.example:${server.port}`, 'sec-fetch-mode': 'navigate' } })
    expect(rebinding.status).toBe(403)
    expect(rebinding.body).not.toContain('restarted')
  })
})
