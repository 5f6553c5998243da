/**
 * The single entry point for every request, whichever transport carried it (Electron IPC, the
 * browser-mode HTTP server, in-process tests). It validates the payload against the contract
 * before any handler code runs, and turns every outcome into a serializable Result.
 */
import type { z } from 'zod'
import {
  invokeChannels,
  isInvokeChannel,
  type InvokeChannel,
  type ParsedRequestOf,
  type ResponseOf,
} from '../../common/ipc/contract'
import { StudioError, fail, formatPath, ok, type Result, type StudioErrorIssue } from '../../common/ipc/result'

export interface CallContext {
  /** Which transport delivered the call; for logs only, handlers must not branch on it. */
  readonly transport: 'electron' | 'http' | 'in-process'
}

export type Handler<C extends InvokeChannel> = (
  request: ParsedRequestOf<C>,
  context: CallContext,
) => Promise<ResponseOf<C>> | ResponseOf<C>

export type Handlers = { readonly [C in InvokeChannel]: Handler<C> }

export type Dispatch = (channel: unknown, payload: unknown, context: CallContext) => Promise<Result<unknown>>

export interface DispatchOptions {
  /** Receives unexpected (non-StudioError) failures with their stack. */
  readonly onInternalError?: (channel: string, error: unknown) => void
}

export function zodIssues(error: z.ZodError): StudioErrorIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }))
}

export function createDispatch(handlers: Handlers, options: DispatchOptions = {}): Dispatch {
  return async (channel, payload, context) => {
    if (!isInvokeChannel(channel)) {
      return fail('unknown-channel', `unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}`)
    }
    const parsed = invokeChannels[channel].request.safeParse(payload)
    if (!parsed.success) {
      const issues = zodIssues(parsed.error)
      const first = issues[0]
      const summary = first ? `${first.path}: ${first.message}` : 'payload does not match the contract'
      return fail('invalid-request', `invalid request for "${channel}": ${summary}`, issues)
    }
    try {
      const handler = handlers[channel] as Handler<typeof channel>
      const value = await handler(parsed.data as ParsedRequestOf<typeof channel>, context)
      return ok(value)
    } catch (error) {
      if (error instanceof StudioError) return { ok: false, error: error.toData() }
      options.onInternalError?.(channel, error)
      const message = error instanceof Error ? error.message : String(error)
      return fail('internal', `"${channel}" failed: ${message}`)
    }
  }
}
