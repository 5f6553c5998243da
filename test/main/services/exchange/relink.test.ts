import { mkdirSync, renameSync, rmSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { importImageFolder } from '../../../../src/main/services/exchange/folderImport'
import { relinkImagesRoot } from '../../../../src/main/services/exchange/relink'
import { Project } from '../../../../src/main/services/store/index'
import { tempDir } from '../../../helpers/tempDir'

async function png(file: string, seed: number): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true })
  const pixels = Buffer.alloc(6 * 4 * 3, seed)
  await sharp(pixels, { raw: { width: 6, height: 4, channels: 3 } }).png().toFile(file)
}

describe('re-linking a moved images root', () => {
  it('finds images at the same relative path and moved or renamed ones by content hash, and reports the rest', async () => {
    const base = tempDir()
    const old = path.join(base, 'old')
    for (const [name, seed] of [['a.png', 1], ['b.png', 2], ['sub/c.png', 3], ['d.png', 4], ['x.png', 5], ['y.png', 6]] as const) await png(path.join(old, name), seed)
    const project = Project.create(path.join(base, 'project'), { imagesRoot: old })
    await importImageFolder(project, old)
    const ids = Object.fromEntries([...project.images.iterate()].map((i) => [i.relPath, i.id]))

    const moved = path.join(base, 'elsewhere', 'new')
    mkdirSync(path.dirname(moved), { recursive: true })
    renameSync(old, moved)
    renameSync(path.join(moved, 'sub', 'c.png'), path.join(moved, 'c-renamed.png'))
    rmSync(path.join(moved, 'd.png'))
    // x and y swap names: both must be found by hash, despite the unique path constraint.
    renameSync(path.join(moved, 'x.png'), path.join(moved, 'tmp.png'))
    renameSync(path.join(moved, 'y.png'), path.join(moved, 'x.png'))
    renameSync(path.join(moved, 'tmp.png'), path.join(moved, 'y.png'))

    const report = await relinkImagesRoot(project, moved)
    expect(report).toEqual({ imagesRoot: moved, samePath: 2, moved: 3, missing: [{ where: 'd.png', message: 'not found under the new root (neither at its path nor by content)' }] })
    expect(project.imagesRoot).toBe(moved)
    expect(project.images.get(ids['sub/c.png']!)?.relPath).toBe('c-renamed.png')
    expect(project.images.get(ids['x.png']!)?.relPath).toBe('y.png')
    expect(project.images.get(ids['y.png']!)?.relPath).toBe('x.png')
    project.close()
  })

  it('with verifyHash: false trusts path and size, which a same-size swap fools (why hashing is the default)', async () => {
    const base = tempDir()
    await png(path.join(base, 'old', 'x.png'), 5)
    await png(path.join(base, 'old', 'y.png'), 6)
    const project = Project.create(path.join(base, 'project'), { imagesRoot: path.join(base, 'old') })
    await importImageFolder(project, path.join(base, 'old'))
    renameSync(path.join(base, 'old', 'x.png'), path.join(base, 'old', 't.png'))
    renameSync(path.join(base, 'old', 'y.png'), path.join(base, 'old', 'x.png'))
    renameSync(path.join(base, 'old', 't.png'), path.join(base, 'old', 'y.png'))
    expect(await relinkImagesRoot(project, path.join(base, 'old'), { verifyHash: false })).toMatchObject({ samePath: 2, moved: 0 })
    expect(await relinkImagesRoot(project, path.join(base, 'old'))).toMatchObject({ samePath: 0, moved: 2 })
    project.close()
  })

  it('refuses a folder holding none of the images and changes nothing', async () => {
    const base = tempDir()
    await png(path.join(base, 'images', 'a.png'), 1)
    await png(path.join(base, 'unrelated', 'z.png'), 9)
    const project = Project.create(path.join(base, 'project'), { imagesRoot: path.join(base, 'images') })
    await importImageFolder(project, path.join(base, 'images'))
    await expect(relinkImagesRoot(project, path.join(base, 'unrelated'))).rejects.toThrow(/none of the 1 images were found under .*unrelated; the images root was not changed/)
    expect(project.imagesRoot).toBe(path.join(base, 'images'))
    project.close()
  })
})
