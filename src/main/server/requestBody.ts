/**
 * Request bodies within bounds: one request may send at most a per-request cap, and all requests
 * together may hold at most a shared budget, so many concurrent large bodies cannot exhaust the
 * process's memory. Bytes are taken from the budget before they are buffered (a declared
 * Content-Length all at once, so an oversized or unaffordable request is refused before a byte
 * is read) and given back when the response closes: sent, or the connection dropped.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

export class ByteBudget {
  private used = 0

  constructor(readonly limit: number) {}

  get inUse(): number {
    return this.used
  }

  tryTake(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false
    this.used += bytes
    return true
  }

  give(bytes: number): void {
    this.used -= bytes
  }
}

/** A body refused for its size (413) or because the shared budget is spent for now (503). */
export class BodyRefused extends Error {
  constructor(
    readonly status: 413 | 503,
    message: string,
  ) {
    super(message)
  }
}

export interface BodyLimits {
  /** Largest body one request may send. */
  readonly maxBytes: number
  /** Shared by every request of the server. */
  readonly budget: ByteBudget
}

export async function readBody(request: IncomingMessage, response: ServerResponse, limits: BodyLimits): Promise<string> {
  let held = 0
  response.once('close', () => {
    limits.budget.give(held)
    held = 0
  })
  const take = (bytes: number): void => {
    if (!limits.budget.tryTake(bytes)) {
      throw new BodyRefused(503, `the server is already receiving ${limits.budget.inUse} bytes of request bodies; retry shortly`)
    }
    held += bytes
  }
  const tooLarge = () => new BodyRefused(413, `request body exceeds ${limits.maxBytes} bytes`)

  const declared = request.headers['content-length']
  if (declared !== undefined) {
    const length = Number(declared)
    if (length > limits.maxBytes) throw tooLarge()
    take(length)
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    const bytes = chunk as Buffer
    size += bytes.length
    if (size > limits.maxBytes) throw tooLarge()
    // Without a Content-Length (chunked), the budget is charged as the bytes come.
    if (declared === undefined) take(bytes.length)
    chunks.push(bytes)
  }
  return Buffer.concat(chunks).toString('utf8')
}
