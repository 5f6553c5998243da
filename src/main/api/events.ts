/**
 * Fan-out of contract events from services to whichever transports are attached (the Electron
 * window, browser-mode WebSocket clients, tests). Services only see `emit`.
 */
import type { EventChannel, EventPayloadOf } from '../../common/ipc/contract'

export type EventListener = <E extends EventChannel>(event: E, payload: EventPayloadOf<E>) => void

export interface EventSink {
  emit<E extends EventChannel>(event: E, payload: EventPayloadOf<E>): void
}

export class EventHub implements EventSink {
  private readonly listeners = new Set<EventListener>()

  emit<E extends EventChannel>(event: E, payload: EventPayloadOf<E>): void {
    for (const listener of this.listeners) {
      try {
        listener(event, payload)
      } catch {
        // One broken transport (a closed socket, a destroyed window) must not starve the others.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
