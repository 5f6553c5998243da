import { describe, expect, it, vi } from 'vitest'
import { invokeChannelNames } from '../../../src/common/ipc/contract'
import { StudioError } from '../../../src/common/ipc/result'
import { createDispatch, type Handlers } from '../../../src/main/api/dispatch'
import { createHandlers } from '../../../src/main/api/handlers'
import type { StudioCore } from '../../../src/main/api/studioCore'
import { afterAll, beforeAll } from 'vitest'
import { createTestCore } from '../../helpers/studio'

const context = { transport: 'in-process' } as const
let core: StudioCore

beforeAll(async () => {
  core = await createTestCore()
})
afterAll(async () => {
  await core.close()
})

function handlersWith(overrides: Partial<Handlers>): Handlers {
  return { ...createHandlers(core.context), ...overrides }
}

describe('dispatch', () => {
  it('answers app:info with the real runtime facts', async () => {
    const dispatch = createDispatch(createHandlers(core.context))
    const result = await dispatch('app:info', {}, context)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    const info = result.value as { version: string; platform: string; onnxruntime: { version: string; executionProviders: { name: string }[] } }
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/)
    expect(info.platform).toBe(process.platform)
    expect(info.onnxruntime.version).toMatch(/^1\.\d+\.\d+/)
    expect(info.onnxruntime.executionProviders.map((p) => p.name)).toContain('cpu')
  })

  it('rejects a payload that fails its schema without running the handler', async () => {
    const handler = vi.fn(() => {
      throw new Error('must not run')
    })
    const dispatch = createDispatch(handlersWith({ 'app:info': handler as unknown as Handlers['app:info'] }))
    const result = await dispatch('app:info', { unexpected: 1 }, context)
    expect(handler).not.toHaveBeenCalled()
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('invalid-request')
    expect(result.error.message).toContain('app:info')
    expect(result.error.message).toContain('unexpected')
    expect(JSON.parse(JSON.stringify(result))).toEqual(result)
  })

  it('rejects non-object payloads and unknown channels', async () => {
    const dispatch = createDispatch(createHandlers(core.context))
    for (const payload of [null, 42, 'x', [], undefined]) {
      const result = await dispatch('app:info', payload, context)
      expect(result.ok ? 'ok' : result.error.code).toBe('invalid-request')
    }
    const unknown = await dispatch('fs:readFile', { path: '/etc/passwd' }, context)
    expect(unknown.ok ? 'ok' : unknown.error.code).toBe('unknown-channel')
    const prototypeKey = await dispatch('__proto__', {}, context)
    expect(prototypeKey.ok ? 'ok' : prototypeKey.error.code).toBe('unknown-channel')
  })

  it('turns thrown errors into plain error data', async () => {
    const onInternalError = vi.fn()
    const failing = createDispatch(
      handlersWith({
        'app:info': () => {
          throw new StudioError('not-found', 'no such project')
        },
      }),
    )
    const known = await failing('app:info', {}, context)
    expect(known).toEqual({ ok: false, error: { code: 'not-found', message: 'no such project' } })

    const crashing = createDispatch(
      handlersWith({
        'app:info': () => {
          throw new TypeError('boom')
        },
      }),
      { onInternalError },
    )
    const internal = await crashing('app:info', {}, context)
    expect(internal.ok ? 'ok' : internal.error.code).toBe('internal')
    expect(onInternalError).toHaveBeenCalledWith('app:info', expect.any(TypeError))
  })

  it('has a handler for every contract channel', () => {
    const handlers = createHandlers(core.context)
    for (const channel of invokeChannelNames) expect(typeof handlers[channel]).toBe('function')
    expect(Object.keys(handlers).sort()).toEqual([...invokeChannelNames].sort())
  })
})
