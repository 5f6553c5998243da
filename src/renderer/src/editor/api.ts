/**
 * What the editor needs from the studio core: the typed call/on pair of the contract.
 * StudioClient (services/studioClient.ts) implements it; tests pass an in-memory fake.
 */
import type { EventChannel, EventPayloadOf, InvokeChannel, RequestOf, ResponseOf } from '../../../common/ipc/contract'
import { StudioError } from '../../../common/ipc/result'

/** See services/transport.ts: 'reconnecting' while the core is unreachable, 'restarted' when it refuses this page's token. */
export type ConnectionState = 'connected' | 'reconnecting' | 'restarted'

export interface StudioApi {
  call<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>
  on<E extends EventChannel>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void
  /** Connection changes; a transport that cannot lose its core may leave this out. */
  onConnection?(listener: (state: ConnectionState) => void): () => void
}

/** Failures the connection banner already explains: no notice of their own. */
export function isConnectionError(error: unknown): boolean {
  return error instanceof StudioError && error.code === 'disconnected'
}

/** A failure as a sentence a user can read: the StudioError message, plus where the input was wrong. */
export function describeError(error: unknown): string {
  if (error instanceof StudioError) {
    const issues = (error.issues ?? []).slice(0, 3).map((issue) => `${issue.path}: ${issue.message}`)
    return issues.length > 0 ? `${error.message} (${issues.join('; ')})` : error.message
  }
  if (error instanceof Error) return error.message
  return String(error)
}
