/**
 * A model host on 127.0.0.1 for download tests: serves byte buffers by path with HTTP Range
 * support, records every request, and misbehaves on demand (cut a transfer halfway, stall,
 * answer an error status, redirect, omit Content-Length, trickle).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export type Behaviour =
  | { kind: 'normal' }
  | { kind: 'cut'; afterBytes: number }
  | { kind: 'stall'; afterBytes: number }
  | { kind: 'status'; status: number }
  | { kind: 'redirect'; to: string }
  | { kind: 'chunked' }
  | { kind: 'trickle'; chunkBytes: number; everyMs: number }
  | { kind: 'ignore-range' }

export interface RecordedRequest {
  readonly path: string
  readonly range: string | null
}

export class ModelFileServer {
  readonly requests: RecordedRequest[] = []
  private readonly sockets = new Set<Socket>()
  private readonly timers = new Set<NodeJS.Timeout>()
  private server: Server | null = null
  private port = 0
  /** Chooses the behaviour of the n-th request (0-based) for a path; default normal. */
  behaviour: (path: string, nth: number) => Behaviour = () => ({ kind: 'normal' })

  constructor(readonly files: Map<string, Buffer>) {}

  async start(): Promise<void> {
    this.server = createServer((request, response) => this.handle(request, response))
    this.server.on('connection', (socket) => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.port = (this.server.address() as AddressInfo).port
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`
  }

  requestsFor(path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path === path)
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer)
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const path = request.url ?? '/'
    const nth = this.requestsFor(path).length
    this.requests.push({ path, range: request.headers.range ?? null })
    const behaviour = this.behaviour(path, nth)
    const body = this.files.get(path)
    if (behaviour.kind === 'status') return void response.writeHead(behaviour.status).end(`status ${behaviour.status}`)
    if (behaviour.kind === 'redirect') return void response.writeHead(302, { location: behaviour.to }).end()
    if (!body) return void response.writeHead(404).end('not found')

    const match = behaviour.kind === 'ignore-range' ? null : /^bytes=(\d+)-$/.exec(request.headers.range ?? '')
    const start = match ? Number(match[1]) : 0
    if (start >= body.length && match) return void response.writeHead(416, { 'content-range': `bytes */${body.length}` }).end()
    const slice = body.subarray(start)
    const headers: Record<string, string | number> = { 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes' }
    if (behaviour.kind !== 'chunked') headers['content-length'] = slice.length
    if (match) headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`
    response.writeHead(match ? 206 : 200, headers)

    switch (behaviour.kind) {
      case 'cut':
        response.write(slice.subarray(0, behaviour.afterBytes), () => response.socket?.destroy())
        return
      case 'stall':
        response.write(slice.subarray(0, behaviour.afterBytes))
        return // and never another byte
      case 'trickle': {
        let offset = 0
        const timer = setInterval(() => {
          if (offset >= slice.length || response.destroyed) {
            clearInterval(timer)
            this.timers.delete(timer)
            if (!response.destroyed) response.end()
            return
          }
          response.write(slice.subarray(offset, offset + behaviour.chunkBytes))
          offset += behaviour.chunkBytes
        }, behaviour.everyMs)
        this.timers.add(timer)
        return
      }
      default:
        response.end(slice)
    }
  }
}
