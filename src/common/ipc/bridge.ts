/**
 * The shape of `window.studio`, exposed by the preload bridge in Electron. Transport-agnostic
 * code in the renderer never touches it directly; see renderer/src/services/transport.ts.
 */
import type { Result } from './result'

export interface StudioBridge {
  invoke(channel: string, payload: unknown): Promise<Result<unknown>>
  /** Subscribes to a contract event; returns the function that unsubscribes. */
  on(event: string, listener: (payload: unknown) => void): () => void
}
