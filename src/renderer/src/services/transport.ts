/**
 * How the renderer reaches the studio core. Electron exposes `window.studio` (preload bridge);
 * in browser mode the same contract is served over HTTP and a WebSocket by 127.0.0.1. The choice
 * is made once at start-up and nothing else in the renderer knows which one is in use.
 */
import type { StudioBridge } from '../../../common/ipc/bridge'
import type { EventChannel, InvokeChannel } from '../../../common/ipc/contract'
import { fail, type Result } from '../../../common/ipc/result'
import { fromWireJson, toWireJson } from '../../../common/ipc/wire'
import type { ConnectionState } from '../editor/api'

/**
 * 'reconnecting': the server does not answer (stopped, or the network is down) and the transport
 * keeps trying; 'restarted': it answers but refuses this page's token, so it was started again
 * with a new one and only the new address (printed in its terminal) gets in.
 */
export type { ConnectionState }

export interface Transport {
  readonly kind: 'electron' | 'http'
  invoke(channel: InvokeChannel, payload: unknown): Promise<Result<unknown>>
  on(event: EventChannel, listener: (payload: unknown) => void): () => void
  /** Connection changes (browser mode only; the Electron bridge cannot lose its core). */
  onConnection(listener: (state: ConnectionState) => void): () => void
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
    onConnection: () => () => undefined,
  }
}

const FIRST_RETRY_MS = 250
const MAX_RETRY_MS = 5000

/**
 * Browser mode: requests over fetch, events over one shared WebSocket. When either finds the
 * server gone, the transport says 'reconnecting' once and probes it with a growing delay; the
 * socket is opened again when the server answers, and 'connected' then tells the editor to read
 * its state again (events sent meanwhile were lost).
 */
export function httpTransport(origin: string = window.location.origin): Transport {
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const connectionListeners = new Set<(state: ConnectionState) => void>()
  let state: ConnectionState = 'connected'
  let socket: WebSocket | null = null
  let retryDelay = FIRST_RETRY_MS
  let retryTimer: ReturnType<typeof setTimeout> | null = null

  function setState(next: ConnectionState): void {
    if (next === state) return
    state = next
    for (const listener of connectionListeners) listener(next)
  }

  function connect(): void {
    const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/events`)
    socket = ws
    ws.onopen = () => {
      retryDelay = FIRST_RETRY_MS
      setState('connected')
    }
    ws.onmessage = (message) => {
      const { event, payload } = fromWireJson(String(message.data)) as { event: string; payload: unknown }
      for (const listener of listeners.get(event) ?? []) listener(payload)
    }
    ws.onclose = () => {
      if (socket !== ws) return
      socket = null
      if (state === 'connected') setState('reconnecting')
      scheduleProbe()
    }
  }

  function scheduleProbe(): void {
    if (retryTimer !== null) return
    retryTimer = setTimeout(() => {
      retryTimer = null
      void probe()
    }, retryDelay)
    retryDelay = Math.min(retryDelay * 2, MAX_RETRY_MS)
  }

  /** A WebSocket refused by the server looks like one that found no server: ask over HTTP which it is. */
  async function probe(): Promise<void> {
    const answer = await post('app:info', {})
    if (answer === 'unreachable') return scheduleProbe()
    if (answer.status === 401 || answer.status === 403) {
      setState('restarted')
      return scheduleProbe()
    }
    if (!socket) connect()
  }

  async function post(channel: string, payload: unknown): Promise<Response | 'unreachable'> {
    try {
      return await fetch(`${origin}/api/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: toWireJson(payload ?? {}),
        credentials: 'same-origin',
      })
    } catch {
      return 'unreachable'
    }
  }

  function lost(): void {
    if (state === 'connected') setState('reconnecting')
    // The socket may not have noticed yet (a server stopped mid-request); probing starts now.
    if (socket === null || socket.readyState !== WebSocket.OPEN) scheduleProbe()
  }

  return {
    kind: 'http',
    async invoke(channel, payload) {
      const response = await post(channel, payload)
      if (response === 'unreachable') {
        lost()
        return fail('disconnected', 'the studio server does not answer; reconnecting')
      }
      const text = await response.text()
      let result: Result<unknown>
      try {
        result = fromWireJson(text) as Result<unknown>
      } catch {
        return fail('io', `the studio server answered ${response.status} with an unreadable body`)
      }
      if (!result.ok && result.error.code === 'unauthorized' && (response.status === 401 || response.status === 403)) {
        setState('restarted')
        return fail('disconnected', 'the studio was restarted: open the new address printed in its terminal')
      }
      if (state === 'reconnecting' && socket === null) scheduleProbe()
      return result
    },
    on(event, listener) {
      if (!socket && retryTimer === null) connect()
      const set = listeners.get(event) ?? new Set()
      set.add(listener)
      listeners.set(event, set)
      return () => set.delete(listener)
    },
    onConnection(listener) {
      connectionListeners.add(listener)
      return () => connectionListeners.delete(listener)
    },
  }
}

export function pickTransport(): Transport {
  return window.studio ? electronTransport(window.studio) : httpTransport()
}
