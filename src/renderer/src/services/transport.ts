/**
 * How the renderer reaches the studio core. Electron exposes `window.studio` (preload bridge);
 * in browser mode the same contract is served over HTTP and a WebSocket by 127.0.0.1. The choice
 * is made once at start-up and nothing else in the renderer knows which one is in use.
 */
import type { StudioBridge } from '../../../common/ipc/bridge'
import type { EventChannel, InvokeChannel } from '../../../common/ipc/contract'
import { fail, type Result } from '../../../common/ipc/result'
import { fromWireJson, toWireJson } from '../../../common/ipc/wire'

export interface Transport {
  readonly kind: 'electron' | 'http'
  invoke(channel: InvokeChannel, payload: unknown): Promise<Result<unknown>>
  on(event: EventChannel, listener: (payload: unknown) => void): () => void
}

declare global {
  interface Window {
    studio?: StudioBridge
  }
}

export function electronTransport(bridge: StudioBridge): Transport {
  return {
    kind: 'electron',
    invoke: (channel, payload) => bridge.invoke(channel, payload),
    on: (event, listener) => bridge.on(event, listener),
  }
}

/** Browser mode: requests over fetch, events over one shared, self-reconnecting WebSocket. */
export function httpTransport(origin: string = window.location.origin): Transport {
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  let socket: WebSocket | null = null
  let retryDelay = 250

  function connect(): void {
    socket = new WebSocket(`${origin.replace(/^http/, 'ws')}/events`)
    socket.onopen = () => {
      retryDelay = 250
    }
    socket.onmessage = (message) => {
      const { event, payload } = fromWireJson(String(message.data)) as { event: string; payload: unknown }
      for (const listener of listeners.get(event) ?? []) listener(payload)
    }
    socket.onclose = () => {
      socket = null
      setTimeout(connect, retryDelay)
      retryDelay = Math.min(retryDelay * 2, 5000)
    }
  }

  return {
    kind: 'http',
    async invoke(channel, payload) {
      let response: Response
      try {
        response = await fetch(`${origin}/api/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: toWireJson(payload ?? {}),
          credentials: 'same-origin',
        })
      } catch (error) {
        return fail('io', `the studio server did not answer: ${String(error)}`)
      }
      const text = await response.text()
      try {
        return fromWireJson(text) as Result<unknown>
      } catch {
        return fail('io', `the studio server answered ${response.status} with an unreadable body`)
      }
    },
    on(event, listener) {
      if (!socket) connect()
      const set = listeners.get(event) ?? new Set()
      set.add(listener)
      listeners.set(event, set)
      return () => set.delete(listener)
    },
  }
}

export function pickTransport(): Transport {
  return window.studio ? electronTransport(window.studio) : httpTransport()
}
