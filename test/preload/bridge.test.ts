import { describe, expect, it, vi } from 'vitest'
import { createBridge, type BridgeIpc } from '../../src/preload/bridge'

function fakeIpc() {
  const listeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>()
  const ipc = {
    invoke: vi.fn(async (channel: string, payload: unknown) => ({ ok: true, value: { channel, payload } })),
    on: vi.fn((channel: string, listener: (event: unknown, payload: unknown) => void) => {
      const set = listeners.get(channel) ?? new Set()
      set.add(listener)
      listeners.set(channel, set)
      return ipc
    }),
    removeListener: vi.fn((channel: string, listener: (event: unknown, payload: unknown) => void) => {
      listeners.get(channel)?.delete(listener)
      return ipc
    }),
  }
  const emit = (channel: string, payload: unknown) => {
    for (const listener of listeners.get(channel) ?? []) listener({ sender: 'secret ipcRenderer' }, payload)
  }
  return { ipc, emit }
}

describe('preload bridge', () => {
  it('forwards contract channels only', async () => {
    const { ipc } = fakeIpc()
    const bridge = createBridge(ipc as unknown as BridgeIpc)
    expect(await bridge.invoke('app:info', {})).toEqual({ ok: true, value: { channel: 'app:info', payload: {} } })
    const refused = await bridge.invoke('fs:readFile', { path: '/etc/passwd' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'unknown-channel' } })
    expect(ipc.invoke).toHaveBeenCalledTimes(1)
  })

  it('hands listeners the payload alone and unsubscribes', () => {
    const { ipc, emit } = fakeIpc()
    const bridge = createBridge(ipc as unknown as BridgeIpc)
    const listener = vi.fn()
    const off = bridge.on('app:error', listener)
    emit('app:error', { code: 'io', message: 'x' })
    expect(listener).toHaveBeenCalledWith({ code: 'io', message: 'x' })
    expect(listener.mock.calls[0]).toHaveLength(1)
    off()
    emit('app:error', { code: 'io', message: 'y' })
    expect(listener).toHaveBeenCalledTimes(1)
    expect(() => bridge.on('ipc:internal', listener)).toThrow(/not a studio event/)
  })

  it('is frozen so page code cannot swap its methods', () => {
    const { ipc } = fakeIpc()
    const bridge = createBridge(ipc as unknown as BridgeIpc)
    expect(Object.isFrozen(bridge)).toBe(true)
  })
})
