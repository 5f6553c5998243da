import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { InstallProgress } from '../../../../src/main/services/models/installFromCatalog'
import { DownloadError } from '../../../../src/main/services/models/downloadError'
import { resolveModelSource } from '../../../../src/main/services/sam/modelSource'
import type { ModelFileServer } from '../../../helpers/modelFileServer'
import { DECODER, DECODER_PATH, ENCODER, ENCODER_PATH, expectNotInstalled, openManager, sha256, startServer, toyEntry, walk } from './installHarness'

let server: ModelFileServer
beforeEach(async () => {
  server = startServer()
  await server.start()
})
afterEach(() => server.close())

describe('installing a catalog model from a local HTTP server', () => {
  it('downloads, verifies and installs the pair with a manifest, provenance and progress', async () => {
    const manager = await openManager(toyEntry(server))
    const progress: InstallProgress[] = []
    const installed = await manager.install('toy-remote', { onProgress: (event) => progress.push(event) })

    expect(installed).toMatchObject({ id: 'toy-remote', family: 'toy', isToy: false, hasPersamDecoder: false })
    const dir = await manager.modelDir('toy-remote')
    expect(readFileSync(path.join(dir, 'encoder.onnx')).equals(ENCODER)).toBe(true)
    expect(readFileSync(path.join(dir, 'decoder.onnx')).equals(DECODER)).toBe(true)
    expect(installed.sizeBytes).toBeGreaterThan(ENCODER.length + DECODER.length)
    const { manifest, spec } = await resolveModelSource({ dir })
    expect(manifest).toMatchObject({ id: 'toy-remote', encoderInput: 'nchw-normalized-1024', encoderInputName: 'image', maskCount: 4, persamInputs: null })
    expect(spec.decoderFile).toBe(path.join(dir, 'decoder.onnx'))

    const provenance = JSON.parse(readFileSync(path.join(dir, 'provenance.json'), 'utf8'))
    expect(provenance).toMatchObject({ origin: 'catalog', catalogId: 'toy-remote' })
    expect(provenance.files).toEqual([
      { role: 'encoder', file: 'encoder.onnx', source: server.url(ENCODER_PATH), bytes: ENCODER.length, sha256: sha256(ENCODER), verified: true },
      { role: 'decoder', file: 'decoder.onnx', source: server.url(DECODER_PATH), bytes: DECODER.length, sha256: sha256(DECODER), verified: true },
    ])
    // No converter hook was given: the step is recorded as skipped, the model installs anyway.
    expect(provenance.postInstall).toEqual([{ step: 'persamify-decoder', outcome: 'skipped', message: 'this build has no converter for this step' }])

    const total = ENCODER.length + DECODER.length
    expect(progress.every((event) => event.totalBytes === total && event.catalogId === 'toy-remote')).toBe(true)
    const done = progress.map((event) => event.doneBytes)
    expect(done).toEqual([...done].sort((a, b) => a - b))
    expect(progress.at(-1)).toMatchObject({ phase: 'finishing', doneBytes: total })
    expect(progress.map((event) => event.phase)).toContain('verifying')

    const { installed: list, catalog } = await manager.list()
    expect(list.map((model) => model.id)).toEqual(['toy-sam', 'toy-remote'])
    expect(catalog[0]).toMatchObject({ id: 'toy-remote', installed: true, verified: true, downloadBytes: total })
    expect(walk(manager.modelsDir).filter((file) => file.startsWith('.'))).toEqual([])
    await expect(manager.install('toy-remote')).rejects.toThrow('already installed')
  })

  it('refuses to install over a folder of the same name that is not a usable model, before downloading', async () => {
    const manager = await openManager(toyEntry(server))
    mkdirSync(path.join(manager.modelsDir, 'toy-remote'))
    writeFileSync(path.join(manager.modelsDir, 'toy-remote', 'notes.txt'), 'copied by hand')
    await expect(manager.install('toy-remote')).rejects.toThrow(/already has a folder "toy-remote" that is not a usable model; remove it first/)
    expect(server.requests).toEqual([])
    expect(readFileSync(path.join(manager.modelsDir, 'toy-remote', 'notes.txt'), 'utf8')).toBe('copied by hand')
  })

  it('resumes a transfer cut off halfway with an HTTP Range request, and the bytes match', async () => {
    const half = Math.floor(DECODER.length / 2)
    server.behaviour = (file, nth) => (file === DECODER_PATH && nth === 0 ? { kind: 'cut', afterBytes: half } : { kind: 'normal' })
    const manager = await openManager(toyEntry(server))
    await manager.install('toy-remote')

    expect(server.requestsFor(DECODER_PATH).map((request) => request.range)).toEqual([null, `bytes=${half}-`])
    const dir = await manager.modelDir('toy-remote')
    expect(readFileSync(path.join(dir, 'decoder.onnx')).equals(DECODER)).toBe(true)
  })

  it('keeps the part of a failed install and resumes it in the next install', async () => {
    const half = Math.floor(DECODER.length / 2)
    server.behaviour = (file, nth) => (file === DECODER_PATH && nth === 0 ? { kind: 'cut', afterBytes: half } : { kind: 'normal' })
    const manager = await openManager(toyEntry(server), { download: { attemptsPerUrl: 1, retryDelayMs: 5, idleTimeoutMs: 10_000 } })
    const error = await manager.install('toy-remote').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DownloadError)
    expect((error as DownloadError).failure).toBe('interrupted')
    expect((error as Error).message).toMatch(/toy-remote\/decoder\.onnx: .*gave up after 1 attempt/)
    await expectNotInstalled(manager, 'toy-remote')
    const part = path.join(manager.modelsDir, '.partial', 'toy-remote', 'decoder.onnx.part')
    expect(readFileSync(part).equals(DECODER.subarray(0, half))).toBe(true)
    // The encoder was verified before the cut and is kept; it is not downloaded again.
    expect(server.requestsFor(ENCODER_PATH)).toHaveLength(1)

    await manager.install('toy-remote')
    expect(server.requestsFor(DECODER_PATH).map((request) => request.range)).toEqual([null, `bytes=${half}-`])
    expect(server.requestsFor(ENCODER_PATH)).toHaveLength(1)
    expect(readFileSync(path.join(await manager.modelDir('toy-remote'), 'decoder.onnx')).equals(DECODER)).toBe(true)
    expect(existsSync(path.join(manager.modelsDir, '.partial'))).toBe(false)
  })

  it('starts over when the server ignores the Range request', async () => {
    const half = Math.floor(DECODER.length / 2)
    server.behaviour = (file, nth) => (file !== DECODER_PATH ? { kind: 'normal' } : nth === 0 ? { kind: 'cut', afterBytes: half } : { kind: 'ignore-range' })
    const manager = await openManager(toyEntry(server))
    await manager.install('toy-remote')
    expect(server.requestsFor(DECODER_PATH).map((request) => request.range)).toEqual([null, `bytes=${half}-`])
    expect(readFileSync(path.join(await manager.modelDir('toy-remote'), 'decoder.onnx')).equals(DECODER)).toBe(true)
  })

  it('follows redirects and falls back to the next mirror when one fails', async () => {
    server.behaviour = (file) =>
      file === '/mirror-a/decoder.onnx' ? { kind: 'status', status: 404 } : file === '/cdn/encoder.onnx' ? { kind: 'redirect', to: ENCODER_PATH } : { kind: 'normal' }
    const entry = toyEntry(server, (base) => ({
      ...base,
      files: {
        encoder: { ...base.files.encoder, urls: [server.url('/cdn/encoder.onnx')] },
        decoder: { ...base.files.decoder, urls: [server.url('/mirror-a/decoder.onnx'), server.url(DECODER_PATH)] },
      },
    }))
    const manager = await openManager(entry)
    await manager.install('toy-remote')
    const dir = await manager.modelDir('toy-remote')
    const provenance = JSON.parse(readFileSync(path.join(dir, 'provenance.json'), 'utf8'))
    expect(provenance.files.map((file: { source: string }) => file.source)).toEqual([server.url('/cdn/encoder.onnx'), server.url(DECODER_PATH)])
    expect(server.requestsFor('/mirror-a/decoder.onnx')).toHaveLength(1) // a 404 is not retried
  })

  it('installs an entry without published checksums as unverified and records the computed hash', async () => {
    const entry = toyEntry(server, (base) => ({
      ...base,
      checksums: 'none',
      maskCount: null,
      files: {
        encoder: { ...base.files.encoder, bytes: null, approxBytes: 5_000, sha256: null },
        decoder: { ...base.files.decoder, bytes: null, approxBytes: 70_000, sha256: null },
      },
    }))
    const manager = await openManager(entry)
    expect((await manager.list()).catalog[0]).toMatchObject({ verified: false, downloadBytes: 75_000 })
    expect((await manager.list()).catalog[0]!.notes).toMatch(/^Unverified: no sha256 is published/)
    await manager.install('toy-remote')
    const dir = await manager.modelDir('toy-remote')
    const provenance = JSON.parse(readFileSync(path.join(dir, 'provenance.json'), 'utf8'))
    expect(provenance.files.map((file: { verified: boolean; sha256: string }) => [file.verified, file.sha256])).toEqual([
      [false, sha256(ENCODER)],
      [false, sha256(DECODER)],
    ])
    // The mask count was not in the catalog: it comes from the decoder's output shapes.
    expect(JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')).maskCount).toBe(4)
  })
})
