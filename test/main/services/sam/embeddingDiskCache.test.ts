import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ImageEmbedding } from '../../../../src/common/sam/port'
import { EmbeddingDiskCache, embeddingFilePath, parseEmbedding, serializeEmbedding } from '../../../../src/main/services/sam/embeddingDiskCache'
import { useTempDir } from '../../../helpers/tempDir'

const dir = useTempDir()

function embedding(seed: number, overrides: Partial<ImageEmbedding> = {}): ImageEmbedding {
  return {
    modelId: 'toy-sam',
    imageKey: `img-${seed}`,
    data: Float32Array.from({ length: 256 * 64 * 64 }, (_, i) => Math.sin(i * 0.001 + seed)),
    geometry: { originalWidth: 4000, originalHeight: 3000, resizedWidth: 1024, resizedHeight: 768 },
    ...overrides,
  }
}

describe('embedding cache file format', () => {
  it('round-trips data, geometry and keys', () => {
    const original = embedding(1, { modelId: 'sam-vit-b', imageKey: 'ab'.repeat(32) })
    const parsed = parseEmbedding(serializeEmbedding(original), { modelId: 'sam-vit-b', imageKey: 'ab'.repeat(32) })
    expect(typeof parsed).not.toBe('string')
    const value = parsed as ImageEmbedding
    expect(value.geometry).toEqual(original.geometry)
    expect(Buffer.compare(Buffer.from(value.data.buffer, value.data.byteOffset, value.data.byteLength), Buffer.from(original.data.buffer))).toBe(0)
  })

  it('starts with the documented header', () => {
    const bytes = serializeEmbedding(embedding(2))
    const view = new DataView(bytes.buffer)
    expect(Buffer.from(bytes.subarray(0, 8)).toString('latin1')).toBe('PSAMEMB\0')
    expect(view.getUint32(8, true)).toBe(1)
    const headerSize = view.getUint32(12, true)
    expect(headerSize % 4).toBe(0)
    expect(view.getUint32(20, true)).toBe(4 * 256 * 64 * 64)
    expect(bytes.length).toBe(headerSize + 4 * 256 * 64 * 64)
    expect([view.getUint32(28, true), view.getUint32(32, true), view.getUint32(36, true)]).toEqual([256, 64, 64])
  })

  it('detects truncation at any length and any flipped byte', () => {
    const bytes = serializeEmbedding(embedding(3))
    const key = { modelId: 'toy-sam', imageKey: 'img-3' }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (length) => {
        expect(typeof parseEmbedding(bytes.subarray(0, length), key)).toBe('string')
      }),
      { numRuns: 200 },
    )
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (offset, flip) => {
        const corrupt = bytes.slice()
        corrupt[offset] = corrupt[offset]! ^ flip
        expect(typeof parseEmbedding(corrupt, key)).toBe('string')
      }),
      { numRuns: 200 },
    )
  })

  it('rejects another version, another key and stray bytes, saying why', () => {
    const bytes = serializeEmbedding(embedding(4))
    const key = { modelId: 'toy-sam', imageKey: 'img-4' }
    const otherVersion = bytes.slice()
    new DataView(otherVersion.buffer).setUint32(8, 2, true)
    expect(parseEmbedding(otherVersion, key)).toMatch(/format version 2, expected 1/)
    expect(parseEmbedding(bytes, { modelId: 'toy-sam', imageKey: 'img-5' })).toMatch(/holds toy-sam\/img-4, not toy-sam\/img-5/)
    expect(parseEmbedding(Buffer.concat([bytes, Buffer.from([0])]), key)).toMatch(/truncated or padded/)
    expect(parseEmbedding(Buffer.from('hello world, not a cache file at all'), key)).toMatch(/bad magic/)
  })
})

describe('EmbeddingDiskCache', () => {
  it('writes atomically (no temp files left) and reads back a hit; a missing entry is a miss', async () => {
    const cache = new EmbeddingDiskCache(dir)
    const value = embedding(6)
    await cache.write(value)
    const file = embeddingFilePath(dir, 'toy-sam', 'img-6')
    expect(existsSync(file)).toBe(true)
    expect(readdirSync(path.dirname(file)).filter((name) => name.endsWith('.tmp'))).toEqual([])
    const read = await cache.read('toy-sam', 'img-6')
    expect(read.status).toBe('hit')
    expect(read.status === 'hit' && read.embedding.data[12345]).toBe(value.data[12345])
    expect((await cache.read('toy-sam', 'img-404')).status).toBe('miss')
  })

  it('reports a truncated file as invalid with the reason', async () => {
    const cache = new EmbeddingDiskCache(dir)
    await cache.write(embedding(7))
    const file = embeddingFilePath(dir, 'toy-sam', 'img-7')
    writeFileSync(file, readFileSync(file).subarray(0, 5000))
    expect(await cache.read('toy-sam', 'img-7')).toEqual({ status: 'invalid', reason: expect.stringMatching(/truncated/) })
  })

  it('keeps unsafe model ids and keys inside the cache folder', () => {
    const file = embeddingFilePath(dir, '../../etc', 'a/b\\c')
    expect(path.relative(dir, file).startsWith('..')).toBe(false)
    expect(path.dirname(path.dirname(file))).toBe(dir)
  })
})
