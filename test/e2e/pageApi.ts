/**
 * What the page asked the studio core and what it answered: every POST /api/<channel> the
 * renderer sends, with its decoded payload and result. Tests check requests against the user's
 * gestures (a click at the object became a positive point there) without any hook in the app.
 */
import type { Page } from 'playwright-core'
import type { InvokeChannel, RequestOf, ResponseOf } from '../../src/common/ipc/contract'
import type { Result } from '../../src/common/ipc/result'
import { fromWireJson } from '../../src/common/ipc/wire'

interface Exchange {
  readonly channel: InvokeChannel
  readonly request: unknown
  result: Result<unknown> | null
}

export class PageApi {
  private readonly exchanges: Exchange[] = []

  constructor(page: Page) {
    const pending = new Map<unknown, Exchange>()
    page.on('request', (request) => {
      const match = /\/api\/([^/?]+)$/.exec(new URL(request.url()).pathname)
      if (!match || request.method() !== 'POST') return
      const exchange: Exchange = { channel: decodeURIComponent(match[1]!) as InvokeChannel, request: fromWireJson(request.postData() ?? '{}'), result: null }
      this.exchanges.push(exchange)
      pending.set(request, exchange)
    })
    page.on('response', (response) => {
      const exchange = pending.get(response.request())
      if (!exchange) return
      pending.delete(response.request())
      void response.text().then(
        (text) => (exchange.result = fromWireJson(text) as Result<unknown>),
        () => undefined,
      )
    })
  }

  requests<C extends InvokeChannel>(channel: C): RequestOf<C>[] {
    return this.exchanges.filter((e) => e.channel === channel).map((e) => e.request as RequestOf<C>)
  }

  /** Successful answers on `channel`, in request order (answers still in flight are left out). */
  answers<C extends InvokeChannel>(channel: C): ResponseOf<C>[] {
    return this.exchanges.flatMap((e) => (e.channel === channel && e.result?.ok ? [e.result.value as ResponseOf<C>] : []))
  }

  /** Failed answers, as "channel: message", for tests that expect none (or one in particular). */
  failures(): string[] {
    return this.exchanges.flatMap((e) => (e.result && !e.result.ok ? [`${e.channel}: ${e.result.error.message}`] : []))
  }

  count(channel: InvokeChannel): number {
    return this.exchanges.filter((e) => e.channel === channel).length
  }
}
