import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs'
import { createServer } from 'node:net'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DownloadError, type DownloadFailure } from '../../../../src/main/services/models/downloadError'
import type { ModelManager } from '../../../../src/main/services/models/modelManager'
import type { ModelFileServer } from '../../../helpers/modelFileServer'
import { DECODER, DECODER_PATH, ENCODER_PATH, expectNotInstalled, openManager, startServer, toyEntry } from './installHarness'

let server: ModelFileServer
beforeEach(async () => {
  server = startServer()
  await server.start()
})
afterEach(() => server.close())

async function installFailure(manager: ModelManager, failure: DownloadFailure, message: RegExp, signal?: AbortSignal): Promise<DownloadError> {
  const error = await manager.install('toy-remote', { signal }).then(
    () => null,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(DownloadError)
  expect((error as DownloadError).failure).toBe(failure)
  expect((error as Error).message).toMatch(message)
  await expectNotInstalled(manager, 'toy-remote')
  expect(manager.installing()).toEqual([])
  return error as DownloadError
}

const partialFiles = (manager: ModelManager) => {
  const dir = path.join(manager.modelsDir, '.partial', 'toy-remote')
  return existsSync(dir) ? readdirSync(dir).sort() : []
}

describe('failed installs: a clear error, bounded retries, and no partial file is ever a model', () => {
  it('refuses a file whose sha256 differs and removes it', async () => {
    const entry = toyEntry(server, (base) => ({ ...base, files: { ...base.files, decoder: { ...base.files.decoder, sha256: '0'.repeat(64) } } }))
    const manager = await openManager(entry)
    await installFailure(manager, 'hash', /toy-remote\/decoder\.onnx: sha256 [0-9a-f]{64} does not match the catalog's 0{64}; the damaged file was removed/)
    // The verified encoder stays for the next attempt; the damaged decoder is gone, part and all.
    expect(partialFiles(manager)).toEqual(['encoder.onnx'])
    expect(server.requestsFor(DECODER_PATH)).toHaveLength(1) // a hash mismatch is not retried
  })

  it('refuses a file whose announced size is not the catalog size, before downloading it', async () => {
    const entry = toyEntry(server, (base) => ({ ...base, files: { ...base.files, decoder: { ...base.files.decoder, bytes: DECODER.length + 10 } } }))
    const manager = await openManager(entry)
    await installFailure(manager, 'size', new RegExp(`the server announces ${DECODER.length} bytes, the catalog expects ${DECODER.length + 10}`))
    expect(partialFiles(manager)).toEqual(['encoder.onnx'])
  })

  it('refuses a file that arrives shorter than the catalog size without a Content-Length', async () => {
    server.behaviour = (file) => (file === DECODER_PATH ? { kind: 'chunked' } : { kind: 'normal' })
    const entry = toyEntry(server, (base) => ({ ...base, files: { ...base.files, decoder: { ...base.files.decoder, bytes: DECODER.length + 10 } } }))
    const manager = await openManager(entry)
    await installFailure(manager, 'size', new RegExp(`received ${DECODER.length} bytes, the catalog expects ${DECODER.length + 10}; the file was removed`))
    expect(partialFiles(manager)).toEqual(['encoder.onnx'])
  })

  it('stops a server that sends more than the catalog size', async () => {
    server.behaviour = (file) => (file === DECODER_PATH ? { kind: 'chunked' } : { kind: 'normal' })
    const entry = toyEntry(server, (base) => ({ ...base, files: { ...base.files, decoder: { ...base.files.decoder, bytes: DECODER.length - 10 } } }))
    const manager = await openManager(entry)
    await installFailure(manager, 'size', /the server sent more than the catalog's \d+ bytes/)
    expect(partialFiles(manager)).toEqual(['encoder.onnx'])
  })

  it('reports a 404 once, without retrying it', async () => {
    server.behaviour = (file) => (file === ENCODER_PATH ? { kind: 'status', status: 404 } : { kind: 'normal' })
    const manager = await openManager(toyEntry(server))
    await installFailure(manager, 'http', /toy-remote\/encoder\.onnx: http:\/\/127\.0\.0\.1:\d+\/models\/toy\/encoder\.onnx answered HTTP 404 Not Found \(the file is not there/)
    expect(server.requestsFor(ENCODER_PATH)).toHaveLength(1)
  })

  it('retries a 500 a bounded number of times, then gives up', async () => {
    server.behaviour = (file) => (file === ENCODER_PATH ? { kind: 'status', status: 500 } : { kind: 'normal' })
    const manager = await openManager(toyEntry(server))
    await installFailure(manager, 'http', /answered HTTP 500 Internal Server Error \(gave up after 3 attempts\)$/)
    expect(server.requestsFor(ENCODER_PATH)).toHaveLength(3)
  })

  it('times out a stalled server with a clear message, a bounded number of times', async () => {
    server.behaviour = (file) => (file === DECODER_PATH ? { kind: 'stall', afterBytes: 1000 } : { kind: 'normal' })
    const manager = await openManager(toyEntry(server), { download: { idleTimeoutMs: 400, attemptsPerUrl: 2, retryDelayMs: 5 } })
    await installFailure(manager, 'timeout', /toy-remote\/decoder\.onnx: 127\.0\.0\.1:\d+ sent nothing for 0\.4 s \(stalled server or connection\); gave up waiting \(gave up after 2 attempts\)/)
    const requests = server.requestsFor(DECODER_PATH)
    expect(requests).toHaveLength(2)
    // The second attempt resumed after the bytes the stalled server did send.
    expect(requests[1]!.range).toBe('bytes=1000-')
  })

  it('cancels a download in progress and discards its partial files', async () => {
    server.behaviour = (file) => (file === DECODER_PATH ? { kind: 'trickle', chunkBytes: 1000, everyMs: 5 } : { kind: 'normal' })
    const manager = await openManager(toyEntry(server))
    const controller = new AbortController()
    let sawDecoderBytes = false
    const install = manager.install('toy-remote', {
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.file === 'decoder.onnx' && progress.doneBytes > progress.totalBytes - DECODER.length) {
          sawDecoderBytes = true
          controller.abort()
        }
      },
    })
    const error = await install.catch((caught: unknown) => caught)
    expect(sawDecoderBytes).toBe(true)
    expect(error).toBeInstanceOf(DownloadError)
    expect((error as DownloadError).code).toBe('cancelled')
    expect((error as Error).message).toBe('toy-remote/decoder.onnx: cancelled')
    await expectNotInstalled(manager, 'toy-remote')
    expect(existsSync(path.join(manager.modelsDir, '.partial', 'toy-remote'))).toBe(false)
  })

  it('says the host cannot be reached when nothing listens', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as { port: number }).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const entry = toyEntry(server, (base) => ({ ...base, files: { ...base.files, encoder: { ...base.files.encoder, urls: [`http://127.0.0.1:${port}/encoder.onnx`] } } }))
    const manager = await openManager(entry, { download: { attemptsPerUrl: 2, retryDelayMs: 5 } })
    await installFailure(manager, 'offline', new RegExp(`cannot reach 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)\\. Is this machine online.*\\(gave up after 2 attempts\\)`))
  })

  it('checks free space before downloading', async () => {
    const manager = await openManager(toyEntry(server), { freeBytes: async () => 1024 })
    await installFailure(manager, 'disk-full', /toy-remote: needs \d+\.\d MB of free space in .*models, only 0\.0 MB free/)
    expect(server.requests).toEqual([])
  })

  it.runIf(existsSync('/dev/full'))('reports a full disk while writing (ENOSPC, via /dev/full)', async () => {
    const manager = await openManager(toyEntry(server))
    const partial = path.join(manager.modelsDir, '.partial', 'toy-remote')
    mkdirSync(partial, { recursive: true })
    symlinkSync('/dev/full', path.join(partial, 'encoder.onnx.part'))
    await installFailure(manager, 'disk-full', /toy-remote\/encoder\.onnx: the disk is full \(ENOSPC\) writing .*encoder\.onnx\.part/)
  })

  it('refuses a model whose files do not match the catalog flavour, and discards them', async () => {
    const entry = toyEntry(server, (base) => ({ ...base, encoderInput: 'hwc-float-longest-1024' }))
    const manager = await openManager(entry)
    const error = await manager.install('toy-remote').catch((caught: Error) => caught)
    expect((error as Error).message).toMatch(/encoder .*encoder\.onnx: the catalog says input "hwc-float-longest-1024" but the file's input image is "nchw-normalized-1024"/)
    await expectNotInstalled(manager, 'toy-remote')
    expect(existsSync(path.join(manager.modelsDir, '.partial', 'toy-remote'))).toBe(false)
  })
})
