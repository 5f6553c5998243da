/**
 * Browser-mode server: the renderer and the whole IPC contract over HTTP (requests) and a
 * WebSocket (events), on 127.0.0.1 only. The same dispatch function as the Electron main process
 * answers every call; this file only moves bytes and enforces access.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { fail } from '../../common/ipc/result'
import { fromWireJson, toWireJson } from '../../common/ipc/wire'
import type { Dispatch } from '../api/dispatch'
import type { EventHub } from '../api/events'
import { contentSecurityPolicy } from '../security/csp'
import { decodeUrlPath } from '../services/web/staticFiles'
import { checkAccess, cookieName, createToken, TOKEN_REFUSED, type AccessPolicy } from './auth'
import { BodyRefused, ByteBudget, readBody } from './requestBody'
import { isPageNavigation, sendRestartedPage } from './restartedPage'
import { serveStatic } from './staticFiles'

export const LOOPBACK_HOST = '127.0.0.1'
const MAX_BODY_BYTES = 64 * 1024 * 1024
const MAX_BODY_BYTES_IN_FLIGHT = 256 * 1024 * 1024

/** Serves routes outside /api and the renderer, e.g. /media/...; returns false when not handled. */
export type ExtraRoute = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean>

export interface StudioServerOptions {
  readonly dispatch: Dispatch
  readonly events: EventHub
  /** The built renderer (out/renderer). */
  readonly rendererDir: string
  /** 0 picks a free port. */
  readonly port?: number
  readonly token?: string
  readonly routes?: readonly ExtraRoute[]
  /** Largest request body one request may send (413 past it). */
  readonly maxBodyBytes?: number
  /** Request body bytes all requests together may hold (503 with Retry-After past it). */
  readonly maxBodyBytesInFlight?: number
}

export interface StudioServer {
  readonly url: string
  /** The URL to open in a browser: it carries the token once, then the cookie does. */
  readonly launchUrl: string
  readonly token: string
  readonly port: number
  /** Request body bytes currently held against the shared budget. */
  readonly bodyBytesInFlight: number
  close(): Promise<void>
}

function sendJson(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
  })
  response.end(body)
}

export async function startStudioServer(options: StudioServerOptions): Promise<StudioServer> {
  const token = options.token ?? createToken()
  const sockets = new Set<WebSocket>()
  let policy: AccessPolicy = { token, port: 0 }
  let securityHeaders: Record<string, string> = {}
  const bodyLimits = {
    maxBytes: options.maxBodyBytes ?? MAX_BODY_BYTES,
    budget: new ByteBudget(options.maxBodyBytesInFlight ?? MAX_BODY_BYTES_IN_FLIGHT),
  }

  async function handleApi(request: IncomingMessage, response: ServerResponse, channel: string): Promise<void> {
    if (request.method !== 'POST') return sendJson(response, 405, toWireJson(fail('invalid-request', 'use POST')))
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendJson(response, 415, toWireJson(fail('invalid-request', 'content-type must be application/json')))
    }
    let payload: unknown
    try {
      const body = await readBody(request, response, bodyLimits)
      payload = body === '' ? {} : fromWireJson(body)
    } catch (error) {
      if (error instanceof BodyRefused) {
        // Close the connection rather than read the rest of a body nobody will use.
        const retry: Record<string, string> = error.status === 503 ? { 'retry-after': '1' } : {}
        const code = error.status === 413 ? 'invalid-request' : 'conflict'
        return sendJson(response, error.status, toWireJson(fail(code, error.message)), { ...retry, connection: 'close' })
      }
      const message = error instanceof Error ? error.message : String(error)
      return sendJson(response, 400, toWireJson(fail('invalid-request', `unreadable request body: ${message}`)))
    }
    const result = await options.dispatch(channel, payload, { transport: 'http' })
    // Application errors are part of the contract: 200 with ok:false, so clients read one shape.
    sendJson(response, 200, toWireJson(result))
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', `http://${LOOPBACK_HOST}:${policy.port}`)
    const queryToken = url.pathname === '/' ? url.searchParams.get('token') : null
    const access = checkAccess(request, policy, queryToken)
    if (!access.allowed) {
      if (isPageNavigation(request, url) && access.reason === TOKEN_REFUSED) return sendRestartedPage(response)
      return sendJson(response, 403, toWireJson(fail('unauthorized', access.reason)))
    }

    if (queryToken !== null) {
      // Trade the one-time URL token for an HttpOnly cookie, then drop it from the address bar.
      response.writeHead(303, {
        location: '/',
        'set-cookie': `${cookieName(policy.port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      })
      return void response.end()
    }
    const decodedPath = decodeUrlPath(url.pathname)
    if (decodedPath === null) return sendJson(response, 400, toWireJson(fail('invalid-request', 'malformed %-encoding in the URL path')))
    if (url.pathname.startsWith('/api/')) return handleApi(request, response, decodedPath.slice(5))
    for (const route of options.routes ?? []) {
      if (await route(request, response, url)) return
    }
    if (request.method === 'GET' && (await serveStatic(options.rendererDir, url.pathname, response, securityHeaders))) return
    sendJson(response, 404, toWireJson(fail('not-found', `no such resource: ${url.pathname}`)))
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, toWireJson(fail('internal', String(error))))
      else response.destroy()
    })
  })
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 })
  server.on('upgrade', (request, socket, head) => {
    const access = checkAccess(request, policy)
    if (!access.allowed || new URL(request.url ?? '/', 'http://x').pathname !== '/events') {
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws)
      ws.on('close', () => sockets.delete(ws))
    })
  })
  const unsubscribe = options.events.subscribe((event, payload) => {
    const message = toWireJson({ event, payload })
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(message)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, LOOPBACK_HOST, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  policy = { token, port }
  securityHeaders = {
    'content-security-policy': contentSecurityPolicy({ connect: [`ws://${LOOPBACK_HOST}:${port}`, `ws://localhost:${port}`] }),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  }
  const url = `http://${LOOPBACK_HOST}:${port}`
  return {
    url,
    launchUrl: `${url}/?token=${token}`,
    token,
    port,
    get bodyBytesInFlight() {
      return bodyLimits.budget.inUse
    },
    async close() {
      unsubscribe()
      for (const ws of sockets) ws.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
