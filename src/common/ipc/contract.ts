/**
 * The one IPC contract. Every request/response channel and every main-to-renderer event is
 * declared here; the Electron main process, the preload bridge, the browser-mode server and the
 * renderer client are all derived from these two maps, so a channel cannot exist in one place only.
 */
import { z } from 'zod'
import type { AppInfo } from './types'

/** A request/response channel: the zod schema its payload must pass, and its response type. */
export interface InvokeSpec<Req extends z.ZodType, Res> {
  readonly request: Req
  /** Type-only marker carrying the response type; never set at runtime. */
  readonly response?: (value: Res) => void
}

/** An event pushed from the main process (or server) to the renderer. */
export interface EventSpec<Payload> {
  readonly payload?: (value: Payload) => void
}

const invoke =
  <Res>() =>
  <Req extends z.ZodType>(request: Req): InvokeSpec<Req, Res> => ({ request })

const event = <Payload>(): EventSpec<Payload> => ({})

const emptyRequest = z.object({}).strict()

export const invokeChannels = {
  'app:info': invoke<AppInfo>()(emptyRequest),
} as const

export const eventChannels = {
  /** A failure that happened outside any request the renderer is waiting on. */
  'app:error': event<{ readonly code: string; readonly message: string }>(),
} as const

export type InvokeChannel = keyof typeof invokeChannels
export type EventChannel = keyof typeof eventChannels

/** What the caller sends (before defaults and transforms). */
export type RequestOf<C extends InvokeChannel> = z.input<(typeof invokeChannels)[C]['request']>
/** What the handler receives (after validation). */
export type ParsedRequestOf<C extends InvokeChannel> = z.output<(typeof invokeChannels)[C]['request']>
export type ResponseOf<C extends InvokeChannel> =
  (typeof invokeChannels)[C] extends InvokeSpec<z.ZodType, infer Res> ? Res : never
export type EventPayloadOf<E extends EventChannel> =
  (typeof eventChannels)[E] extends EventSpec<infer P> ? P : never

export const invokeChannelNames = Object.freeze(Object.keys(invokeChannels)) as readonly InvokeChannel[]
export const eventChannelNames = Object.freeze(Object.keys(eventChannels)) as readonly EventChannel[]

export function isInvokeChannel(name: unknown): name is InvokeChannel {
  return typeof name === 'string' && Object.hasOwn(invokeChannels, name)
}

export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && Object.hasOwn(eventChannels, name)
}
