/**
 * What the editor needs from the studio core: the typed call/on pair of the contract.
 * StudioClient (services/studioClient.ts) implements it; tests pass an in-memory fake.
 */
import type { EventChannel, EventPayloadOf, InvokeChannel, RequestOf, ResponseOf } from '../../../common/ipc/contract'
import { StudioError } from '../../../common/ipc/result'

export interface StudioApi {
  call<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>
  on<E extends EventChannel>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void
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
