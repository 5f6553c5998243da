import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { escapeFileName, findImageFiles } from '../../../../src/main/services/fs/findImageFiles'
import { tempDir } from '../../../helpers/tempDir'

function folderWithLinks(): { base: string; photos: string; elsewhere: string } {
  const base = tempDir()
  const elsewhere = path.join(base, 'elsewhere')
  const photos = path.join(base, 'photos')
  mkdirSync(path.join(elsewhere, 'album'), { recursive: true })
  mkdirSync(photos)
  writeFileSync(path.join(elsewhere, 'a.jpg'), 'a')
  writeFileSync(path.join(elsewhere, 'album', 'b.png'), 'b')
  writeFileSync(path.join(photos, 'real.jpg'), 'r')
  symlinkSync(path.join(elsewhere, 'a.jpg'), path.join(photos, 'linked.jpg'))
  symlinkSync(path.join(elsewhere, 'album'), path.join(photos, 'album'))
  return { base, photos, elsewhere }
}

describe('the image folder walker', () => {
  it('follows symbolic links to files and folders, in mixed folders and in folders of links only', async () => {
    const { base, photos, elsewhere } = folderWithLinks()
    const found = await findImageFiles(photos)
    expect(found.images).toEqual([path.join(photos, 'album', 'b.png'), path.join(photos, 'linked.jpg'), path.join(photos, 'real.jpg')])
    expect(found.problems).toEqual([])

    const linksOnly = path.join(base, 'links')
    mkdirSync(linksOnly)
    symlinkSync(path.join(elsewhere, 'a.jpg'), path.join(linksOnly, 'one.jpg'))
    symlinkSync(path.join(elsewhere, 'album', 'b.png'), path.join(linksOnly, 'two.png'))
    expect((await findImageFiles(linksOnly)).images).toEqual([path.join(linksOnly, 'one.jpg'), path.join(linksOnly, 'two.png')])
  })

  it('reports symbolic link loops and broken links instead of walking forever', async () => {
    const { photos, elsewhere } = folderWithLinks()
    symlinkSync('.', path.join(photos, 'self'))
    symlinkSync(photos, path.join(elsewhere, 'album', 'back'))
    symlinkSync('missing.jpg', path.join(photos, 'broken.jpg'))
    symlinkSync('knot2', path.join(photos, 'knot1'))
    symlinkSync('knot1', path.join(photos, 'knot2'))
    const found = await findImageFiles(photos)
    expect(found.images).toEqual([path.join(photos, 'album', 'b.png'), path.join(photos, 'linked.jpg'), path.join(photos, 'real.jpg')])
    const problems = Object.fromEntries(found.problems.map((problem) => [path.basename(problem.path), problem.message]))
    expect(problems.self).toMatch(/symbolic link loop/)
    expect(problems['broken.jpg']).toMatch(/broken symbolic link/)
    expect(problems.knot1).toMatch(/symbolic link loop/)
    expect(problems.knot2).toMatch(/symbolic link loop/)
    expect(problems.back).toMatch(/symbolic link loop/)
    expect(found.problems.find((problem) => problem.path.endsWith('back'))?.path).toBe(path.join(photos, 'album', 'back'))
  })

  it('reports a file name that is not valid UTF-8 by its escaped bytes', async () => {
    const dir = tempDir()
    const name = Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from('.jpg')])
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), name]), 'x')
    writeFileSync(path.join(dir, 'ok-é.jpg'), 'x')
    const found = await findImageFiles(dir)
    expect(found.images).toEqual([path.join(dir, 'ok-é.jpg')])
    expect(found.problems).toEqual([{ path: path.join(dir, 'caf\\xe9.jpg'), message: expect.stringMatching(/not valid UTF-8/) }])
    expect(escapeFileName(Buffer.from([0x61, 0xff, 0xc3, 0xa9, 0xe2, 0x82]))).toBe('a\\xffé\\xe2\\x82')
  })
})
