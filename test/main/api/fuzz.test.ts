/**
 * 1,000 random malformed payloads spread over every channel are rejected with validation errors
 * before any handler runs, and the studio keeps working; the server also survives bodies that are
 * not JSON at all.
 */
import fc from 'fast-check'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invokeChannelNames, invokeChannels, type InvokeChannel } from '../../../src/common/ipc/contract'
import { fromWireJson } from '../../../src/common/ipc/wire'
import type { StudioCore } from '../../../src/main/api/studioCore'
import { TOKEN_HEADER } from '../../../src/main/server/auth'
import { startStudioServer, type StudioServer } from '../../../src/main/server/server'
import { rawRequest } from '../../helpers/http'
import { createTestCore } from '../../helpers/studio'

let core: StudioCore
let server: StudioServer

beforeAll(async () => {
  core = await createTestCore('browser')
  await core.dispatch('project:openDemo', {}, { transport: 'in-process' })
  server = await startStudioServer({ dispatch: core.dispatch, events: core.events, rendererDir: mkdtempSync(path.join(tmpdir(), 'renderer-')) })
})

afterAll(async () => {
  await server.close()
  await core.close()
})

/** Values of every JSON-ish kind, including the ones JSON cannot carry and extreme numbers. */
const junk = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, 1e308, -1, 0, 2 ** 53 + 2, '', '\0', '../../etc/passwd', 'x'.repeat(5000)),
  fc.array(fc.integer(), { maxLength: 20 }),
)

/** A payload that does NOT pass the channel's schema: junk, or an object with a key swapped for junk. */
function malformed(channel: InvokeChannel) {
  const schema = invokeChannels[channel].request
  return fc
    .oneof(
      junk,
      fc.dictionary(fc.string({ maxLength: 12 }), junk, { maxKeys: 5 }),
      fc.record({ imageId: junk, points: junk, offset: junk, limit: junk, annotationId: junk, categoryId: junk, path: junk }, { requiredKeys: [] }),
    )
    .filter((payload) => !schema.safeParse(payload).success)
}

describe('malformed payloads', () => {
  it('rejects 1,000 of them across every channel without running a handler', async () => {
    const before = await core.dispatch('image:list', { offset: 0, limit: 100 }, { transport: 'in-process' })
    const channels = fc.constantFrom(...invokeChannelNames)
    const samples = fc.sample(channels.chain((channel) => malformed(channel).map((payload) => ({ channel, payload }))), { numRuns: 1000, seed: 4242 })
    const perChannel = new Map<string, number>()
    for (const { channel, payload } of samples) {
      const result = await core.dispatch(channel, payload, { transport: 'in-process' })
      expect(result.ok, `${channel} accepted ${JSON.stringify(payload)?.slice(0, 200)}`).toBe(false)
      if (!result.ok) expect(result.error.code).toBe('invalid-request')
      perChannel.set(channel, (perChannel.get(channel) ?? 0) + 1)
    }
    expect(samples).toHaveLength(1000)
    expect(perChannel.size).toBe(invokeChannelNames.length)
    // Nothing changed, and the studio still answers.
    const after = await core.dispatch('image:list', { offset: 0, limit: 100 }, { transport: 'in-process' })
    expect(after).toEqual(before)
    expect((await core.dispatch('app:info', {}, { transport: 'in-process' })).ok).toBe(true)
  })

  it('the server answers garbage bodies with errors and keeps serving', async () => {
    const headers = { host: `127.0.0.1:${server.port}`, [TOKEN_HEADER]: server.token, 'content-type': 'application/json' }
    const bodies = ['{', '[1,2', 'null', '"\\ud800"', '{"$typed":"f32","base64":"@@@@"}', '\u0000\u0001', '9'.repeat(10_000)]
    for (const [i, body] of bodies.entries()) {
      const channel = invokeChannelNames[i % invokeChannelNames.length]!
      const response = await rawRequest(server.port, { method: 'POST', path: `/api/${channel}`, headers, body })
      expect([200, 400]).toContain(response.status)
      const result = fromWireJson(response.body) as { ok: boolean }
      expect(result.ok, `${channel} with ${body.slice(0, 20)}`).toBe(false)
    }
    const ok = await rawRequest(server.port, { method: 'POST', path: '/api/app:info', headers, body: '{}' })
    expect((fromWireJson(ok.body) as { ok: boolean }).ok).toBe(true)
  })
})
