import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { AtomicTextWriter } from '../../../../src/main/services/fs/atomicTextWriter'
import { buildFolderAtomically, isTemporaryName, temporaryPathFor, writeAtomicWith, writeFileAtomic, writeJsonAtomic } from '../../../../src/main/services/fs/atomicWrite'
import { writeMaskPng } from '../../../../src/main/services/images/maskPng'
import { MediaCache } from '../../../../src/main/services/media/mediaCache'
import { EmbeddingDiskCache, embeddingFilePath } from '../../../../src/main/services/sam/embeddingDiskCache'
import { writeJsonFile } from '../../../../src/main/services/system/dataDir'
import { tempDir } from '../../../helpers/tempDir'

/** Every entry under `dir` (recursively), to catch stray temporaries of any naming scheme. */
const allNames = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).map(String).sort()

/** A path whose rename target is a non-empty folder, so the final rename fails. */
function blockedTarget(dir: string, name: string): string {
  const target = path.join(dir, name)
  mkdirSync(target, { recursive: true })
  writeFileSync(path.join(target, 'keep'), 'x')
  return target
}

describe('atomic writes', () => {
  it('names temporaries hidden, in the target folder, and recognisably', () => {
    const temporary = temporaryPathFor('/data/out/report.json')
    expect(path.dirname(temporary)).toBe('/data/out')
    expect(path.basename(temporary).startsWith('.report.json.')).toBe(true)
    expect(isTemporaryName(path.basename(temporary))).toBe(true)
    expect(isTemporaryName('report.json')).toBe(false)
  })

  it('replaces an existing file and leaves nothing else', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'a.json')
    writeFileSync(file, 'old')
    await writeJsonAtomic(file, { n: 1 })
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ n: 1 })
    await writeFileAtomic(file, new Uint8Array([65, 66]))
    expect(readFileSync(file, 'utf8')).toBe('AB')
    expect(allNames(dir)).toEqual(['a.json'])
  })

  it('never shows a partial file under the target name while writing', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'big.bin')
    writeFileSync(file, 'old')
    await writeAtomicWith(file, async (temporary) => {
      await writeFile(temporary, 'half')
      expect(readFileSync(file, 'utf8')).toBe('old')
      await writeFile(temporary, 'half and the rest')
    })
    expect(readFileSync(file, 'utf8')).toBe('half and the rest')
  })

  it('removes the temporary and keeps the old file when the writer fails', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'a.txt')
    writeFileSync(file, 'old')
    await expect(
      writeAtomicWith(file, async (temporary) => {
        await writeFile(temporary, 'partial')
        throw new Error('disk on fire')
      }),
    ).rejects.toThrow('disk on fire')
    expect(readFileSync(file, 'utf8')).toBe('old')
    expect(allNames(dir)).toEqual(['a.txt'])
  })

  it('removes the temporary when the rename fails', async () => {
    const dir = tempDir()
    await expect(writeFileAtomic(blockedTarget(dir, 'taken'), 'x')).rejects.toThrow()
    expect(allNames(dir)).toEqual(['taken', path.join('taken', 'keep')])
  })

  it('streams text aside; a failed commit or an abort leaves no file', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'stream.json')
    const writer = await AtomicTextWriter.create(file)
    writer.write('{"a":')
    await writer.flush()
    expect(existsSync(file)).toBe(false)
    writer.write('1}')
    await writer.commit()
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}')

    const aborted = await AtomicTextWriter.create(file)
    aborted.write('nope')
    await aborted.abort()
    const failing = await AtomicTextWriter.create(blockedTarget(dir, 'taken'))
    failing.write('x')
    await expect(failing.commit()).rejects.toThrow()
    expect(allNames(dir)).toEqual(['stream.json', 'taken', path.join('taken', 'keep')])
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}')
  })

  it('builds folders aside: complete or absent, and refuses a non-empty target', async () => {
    const dir = tempDir()
    const target = path.join(dir, 'export')
    await expect(
      buildFolderAtomically(target, async (temporary) => {
        writeFileSync(path.join(temporary, 'one'), '1')
        throw new Error('stopped')
      }),
    ).rejects.toThrow('stopped')
    expect(allNames(dir)).toEqual([])
    mkdirSync(target)
    await buildFolderAtomically(target, async (temporary) => writeFileAtomic(path.join(temporary, 'one'), '1'))
    expect(allNames(dir)).toEqual(['export', path.join('export', 'one')])
    await expect(buildFolderAtomically(target, async () => undefined)).rejects.toThrow(/not empty/)
  })
})

describe('the write-aside sites keep their behaviour and leave no temporary on failure', () => {
  it('data-folder JSON: creates the folder, writes, and cleans up a failed write', async () => {
    const dir = tempDir()
    await writeJsonFile(path.join(dir, 'nested', 'recent.json'), ['a'])
    expect(JSON.parse(readFileSync(path.join(dir, 'nested', 'recent.json'), 'utf8'))).toEqual(['a'])
    await expect(writeJsonFile(blockedTarget(dir, 'settings.json'), {})).rejects.toThrow()
    expect(allNames(dir).filter((name) => !name.startsWith('settings.json') && !name.startsWith('nested'))).toEqual([])
    expect(readdirSync(dir).sort()).toEqual(['nested', 'settings.json'])
  })

  it('mask PNGs', async () => {
    const dir = tempDir()
    const mask = { width: 2, height: 1, data: new Uint8Array([1, 0]) }
    await writeMaskPng(path.join(dir, 'm.png'), mask)
    expect((await sharp(path.join(dir, 'm.png')).metadata()).width).toBe(2)
    await expect(writeMaskPng(blockedTarget(dir, 'n.png'), mask)).rejects.toThrow()
    expect(readdirSync(dir).sort()).toEqual(['m.png', 'n.png'])
  })

  it('embedding cache files', async () => {
    const dir = tempDir()
    const cache = new EmbeddingDiskCache(dir)
    const embedding = { modelId: 'toy', imageKey: 'k', data: new Float32Array(256 * 64 * 64), geometry: { originalWidth: 4, originalHeight: 4, resizedWidth: 4, resizedHeight: 4 } }
    const file = embeddingFilePath(dir, 'toy', 'k')
    mkdirSync(path.dirname(file), { recursive: true })
    blockedTarget(path.dirname(file), path.basename(file))
    await expect(cache.write(embedding)).rejects.toThrow(/cannot write embedding cache file/)
    expect(readdirSync(path.dirname(file))).toEqual([path.basename(file)])
  })

  it('media cache JPEGs', async () => {
    const dir = tempDir()
    const source = path.join(dir, 'src.png')
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#f00' } }).png().toFile(source)
    const cache = new MediaCache(path.join(dir, 'cache'))
    const hash = 'ab'.repeat(32)
    const thumb = await cache.file(source, hash, 'thumb')
    expect((await sharp(thumb).metadata()).format).toBe('jpeg')
    const preview = path.join(dir, 'cache', 'media', 'preview', 'ab', `${hash}.jpg`)
    blockedTarget(path.dirname(preview), path.basename(preview))
    await expect(cache.file(source, hash, 'preview')).rejects.toThrow()
    expect(readdirSync(path.dirname(preview))).toEqual([path.basename(preview)])
  })
})
