/** The runtime's embedding caches: memory LRU, disk files, corrupt files recomputed. */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { embeddingFilePath, parseEmbedding } from '../../../../src/main/services/sam/embeddingDiskCache'
import { fileSha256 } from '../../../../src/main/services/sam/contentHash'
import { SamRuntime, type SamRuntimeOptions } from '../../../../src/main/services/sam/samRuntime'
import { discScene, writeImage } from '../../../helpers/samImages'
import { useTempDir } from '../../../helpers/tempDir'

const dir = useTempDir()
const cacheDir = path.join(dir, 'cache')
const open: SamRuntime[] = []

async function runtime(options: Partial<SamRuntimeOptions> = {}): Promise<SamRuntime> {
  const created = await SamRuntime.open({ model: { dir: 'resources/models/toy-sam' }, providers: ['cpu'], cacheDir, ...options })
  open.push(created)
  return created
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((created) => created.close()))
})

describe('embedding caches', () => {
  it('serves repeats from memory, a new runtime from disk, and recomputes a corrupt file', async () => {
    const file = await writeImage(path.join(dir, 'a.png'), discScene(320, 240, [{ cx: 100, cy: 100, r: 50, colour: [220, 30, 30] }]))
    const first = await runtime()
    const computed = await first.encodeFile(file)
    expect(computed.source).toBe('encoder')
    expect(computed.embedding.imageKey).toBe(await fileSha256(file))
    expect(computed.timings.encoderMs).toBeGreaterThan(0)
    expect((await first.encodeFile(file)).source).toBe('memory')

    const second = await runtime()
    const fromDisk = await second.encodeFile(file)
    expect(fromDisk.source).toBe('disk')
    expect([...fromDisk.embedding.data.subarray(0, 64)]).toEqual([...computed.embedding.data.subarray(0, 64)])
    expect(fromDisk.embedding.geometry).toEqual(computed.embedding.geometry)

    const cacheFile = embeddingFilePath(cacheDir, 'toy-sam', computed.embedding.imageKey)
    writeFileSync(cacheFile, readFileSync(cacheFile).subarray(0, 100_000))
    const third = await runtime()
    const recomputed = await third.encodeFile(file)
    expect(recomputed.source).toBe('encoder')
    expect(recomputed.cacheProblem).toMatch(/a\.png was unusable \(truncated.*recomputed/)
    expect(typeof parseEmbedding(readFileSync(cacheFile), { modelId: 'toy-sam', imageKey: computed.embedding.imageKey })).toBe('object')
  })

  it('keeps the memory cache within its byte budget, and encodes the same image once when asked twice at once', async () => {
    const files = await Promise.all(['b', 'c'].map((name, i) => writeImage(path.join(dir, `${name}.png`), discScene(200, 100, [], i + 10))))
    const small = await runtime({ cacheDir: null, memoryCacheBytes: 256 * 64 * 64 * 4 }) // one embedding
    await small.encodeFile(files[0]!)
    await small.encodeFile(files[1]!)
    expect((await small.encodeFile(files[1]!)).source).toBe('memory')
    expect((await small.encodeFile(files[0]!)).source).toBe('encoder') // evicted by c

    const fresh = await runtime({ cacheDir: null })
    const [one, two] = await Promise.all([fresh.encodeFile(files[0]!), fresh.encodeFile(files[0]!)])
    expect(two.embedding).toBe(one.embedding)
    expect([one.source, two.source]).toEqual(['encoder', 'encoder'])
  })

  it('uses a caller-given image key instead of hashing the file', async () => {
    const file = await writeImage(path.join(dir, 'd.png'), discScene(100, 100, [], 4))
    const keyed = await runtime()
    const outcome = await keyed.encodeFile(file, { imageKey: 'store-hash-123' })
    expect(outcome.embedding.imageKey).toBe('store-hash-123')
    expect(typeof parseEmbedding(readFileSync(embeddingFilePath(cacheDir, 'toy-sam', 'store-hash-123')), { modelId: 'toy-sam', imageKey: 'store-hash-123' })).toBe('object')
  })
})
