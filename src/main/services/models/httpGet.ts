/**
 * One HTTP(S) GET for a download: follows redirects (model hosts redirect to CDNs), asks for
 * uncompressed bytes so lengths are file lengths, and fails a connection that stays silent for
 * `idleTimeoutMs` (before the headers or mid-body) or whose signal aborts. The reason a transfer
 * ended early is kept on the handle, since a destroyed socket only reports a generic error.
 */
import http, { type IncomingMessage } from 'node:http'
import https from 'node:https'
import { cancelledError, DownloadError, networkError } from './downloadError'

export interface GetOptions {
  readonly label: string
  readonly headers: Readonly<Record<string, string>>
  readonly idleTimeoutMs: number
  readonly signal?: AbortSignal
  readonly maxRedirects?: number
}

export interface OpenTransfer {
  readonly response: IncomingMessage
  /** The URL that answered, after redirects. */
  readonly url: string
  readonly host: string
  /** Why the transfer was cut (timeout, cancel), once it was; null otherwise. */
  failure(): DownloadError | null
  /** Reads the body (collected since the response arrived); see BodyQueue.read. */
  readBody(onChunk: (chunk: Buffer) => Promise<void>): Promise<void>
  /** Ends the transfer (idempotent). */
  close(): void
}

const HIGH_WATER_BYTES = 8 * 2 ** 20
const LOW_WATER_BYTES = 2 * 2 ** 20

/**
 * Collects a response body from the moment the response arrives, so that nothing is missed while
 * the caller is still preparing (a response can end, or its socket die, before the caller reads).
 * Chunks are taken in flowing mode into a bounded queue rather than through an async iterator,
 * because a destroyed stream drops what it buffered but nobody read: the bytes that arrived
 * before a cut are all handed over, so a resume starts after them.
 */
class BodyQueue {
  private readonly queue: Buffer[] = []
  private queuedBytes = 0
  private finished = false
  private streamError: unknown = null
  private wake: (() => void) | null = null

  constructor(private readonly response: IncomingMessage) {
    response.on('data', (chunk: Buffer) => {
      this.queue.push(chunk)
      this.queuedBytes += chunk.length
      if (this.queuedBytes > HIGH_WATER_BYTES) response.pause()
      this.notify()
    })
    response.on('end', () => this.finish(null))
    response.on('error', (error) => this.finish(error))
    response.on('close', () => this.finish(response.complete ? null : Object.assign(new Error('the connection closed before the end of the file'), { code: 'ECONNRESET' })))
  }

  private finish(error: unknown): void {
    if (this.finished) return
    this.finished = true
    this.streamError = error
    this.notify()
  }

  private notify(): void {
    const wake = this.wake
    this.wake = null
    wake?.()
  }

  /**
   * Hands every chunk to `onChunk`, one at a time; resolves at the end of the body, rejects with
   * the stream's error (after the chunks received before it) or with the first error of `onChunk`.
   */
  async read(onChunk: (chunk: Buffer) => Promise<void>): Promise<void> {
    for (;;) {
      const chunk = this.queue.shift()
      if (chunk) {
        this.queuedBytes -= chunk.length
        if (this.queuedBytes < LOW_WATER_BYTES && this.response.isPaused() && !this.finished) this.response.resume()
        try {
          await onChunk(chunk)
        } catch (error) {
          this.response.destroy()
          throw error
        }
        continue
      }
      if (this.finished) {
        if (this.streamError) throw this.streamError
        return
      }
      await new Promise<void>((resolve) => (this.wake = resolve))
    }
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])

function requestOnce(url: URL, options: GetOptions): Promise<OpenTransfer> {
  return new Promise((resolve, reject) => {
    let failure: DownloadError | null = null
    let settled = false
    const client = url.protocol === 'https:' ? https : http
    const request = client.get(url, { headers: { 'accept-encoding': 'identity', ...options.headers }, agent: false })
    const fail = (error: DownloadError) => {
      failure ??= error
      request.destroy(failure)
    }
    const onAbort = () => fail(cancelledError(options.label))
    options.signal?.addEventListener('abort', onAbort, { once: true })
    const detach = () => options.signal?.removeEventListener('abort', onAbort)
    request.setTimeout(options.idleTimeoutMs, () => {
      const seconds = options.idleTimeoutMs / 1000
      fail(new DownloadError('timeout', `${options.label}: ${url.host} sent nothing for ${seconds} s (stalled server or connection); gave up waiting`, true))
    })
    request.on('error', (error) => {
      detach()
      if (!settled) {
        settled = true
        reject(failure ?? networkError(error, options.label, url.host))
      }
    })
    request.on('response', (response) => {
      settled = true
      response.on('close', detach)
      const body = new BodyQueue(response)
      resolve({
        response,
        url: url.href,
        host: url.host,
        failure: () => failure,
        readBody: (onChunk) => body.read(onChunk),
        close: () => {
          detach()
          request.destroy()
        },
      })
    })
    if (options.signal?.aborted) onAbort()
  })
}

/** GET `url`, following up to `maxRedirects` redirects (https never downgrades to http). */
export async function openGet(url: string, options: GetOptions): Promise<OpenTransfer> {
  let current = new URL(url)
  for (let hop = 0; ; hop++) {
    const transfer = await requestOnce(current, options)
    const status = transfer.response.statusCode ?? 0
    const location = transfer.response.headers.location
    if (!REDIRECTS.has(status) || !location) return transfer
    transfer.close()
    if (hop >= (options.maxRedirects ?? 10)) throw new DownloadError('http', `${options.label}: too many redirects from ${url}`, false, status)
    const next = new URL(location, current)
    if (next.protocol !== 'https:' && (next.protocol !== 'http:' || current.protocol === 'https:')) {
      throw new DownloadError('http', `${options.label}: ${current.host} redirected to ${next.protocol}//${next.host}, which is refused (no downgrade from https)`, false, status)
    }
    current = next
  }
}
