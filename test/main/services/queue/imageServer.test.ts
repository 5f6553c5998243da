import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ImageServer } from '../../../../src/main/services/queue/imageServer'

let server: ImageServer
let token: string
let dir: string

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'image-server-'))
  writeFileSync(path.join(dir, 'a.jpg'), 'bytes of a')
  server = await ImageServer.listen('127.0.0.1', 0)
  token = server.serve('run1', (id) => (id === 7 ? path.join(dir, 'a.jpg') : null)).token
})
afterAll(() => server.close())

const get = (url: string, auth?: string) => fetch(`${server.url}${url}`, auth ? { headers: { authorization: `Bearer ${auth}` } } : {})

describe('image server for workers', () => {
  it("serves a run's image by id with the run's token", async () => {
    const response = await get('/runs/run1/images/7', token)
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('bytes of a')
  })

  it('answers 404 to everything else: no or wrong token, another image, another run, another path', async () => {
    for (const [url, auth] of [
      ['/runs/run1/images/7', undefined],
      ['/runs/run1/images/7', token.slice(1) + 'x'],
      ['/runs/run1/images/8', token],
      ['/runs/run2/images/7', token],
      ['/runs/run1/images/../a.jpg', token],
      ['/', token],
    ] as const) {
      expect((await get(url, auth)).status, url).toBe(404)
    }
  })

  it('stops serving a run when asked', async () => {
    const served = server.serve('run3', () => path.join(dir, 'a.jpg'))
    expect((await get('/runs/run3/images/1', served.token)).status).toBe(200)
    served.stop()
    expect((await get('/runs/run3/images/1', served.token)).status).toBe(404)
  })
})
