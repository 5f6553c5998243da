import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { QUEUE_SETTINGS_FILE, readQueueSettings } from '../../../../src/main/services/queue/queueSettings'

const dataDir = () => mkdtempSync(path.join(tmpdir(), 'queue-settings-'))

describe('queue settings', () => {
  it('is off without a file or variable (in-process propagation)', async () => {
    expect(await readQueueSettings(dataDir(), {})).toBeNull()
  })

  it('reads the data folder file; the environment variable wins over its url', async () => {
    const dir = dataDir()
    writeFileSync(path.join(dir, QUEUE_SETTINGS_FILE), JSON.stringify({ url: 'redis://gpu-box:6379', imageServer: { host: '10.0.0.5', port: 7801 } }))
    expect(await readQueueSettings(dir, {})).toEqual({ url: 'redis://gpu-box:6379', imageServer: { host: '10.0.0.5', port: 7801 } })
    expect((await readQueueSettings(dir, { PERSAM_QUEUE_URL: 'redis://other:6380' }))?.url).toBe('redis://other:6380')
    expect(await readQueueSettings(dataDir(), { PERSAM_QUEUE_URL: 'redis://only-env:6379' })).toEqual({ url: 'redis://only-env:6379', imageServer: null })
  })

  it('names the file and field of a bad setting, and a bad variable', async () => {
    const dir = dataDir()
    writeFileSync(path.join(dir, QUEUE_SETTINGS_FILE), JSON.stringify({ url: 'http://nope' }))
    await expect(readQueueSettings(dir, {})).rejects.toThrow(new RegExp(`${QUEUE_SETTINGS_FILE}: url: expected redis://HOST:PORT`))
    await expect(readQueueSettings(dataDir(), { PERSAM_QUEUE_URL: 'localhost' })).rejects.toThrow(/PERSAM_QUEUE_URL: "localhost"/)
  })
})
