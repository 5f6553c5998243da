import { mkdirSync, renameSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { Project, commonAncestor, toRelPath } from '../../../../src/main/services/store/index'
import { addImages, tempDir } from './helpers'

describe('project folder', () => {
  it('stores image paths relative to the images root and finds the root again when project and images move together', () => {
    const base = tempDir()
    const dataset = path.join(base, 'dataset')
    mkdirSync(path.join(dataset, 'images'), { recursive: true })
    const project = Project.create(path.join(dataset, 'project'), { imagesRoot: path.join(dataset, 'images') })
    const [image] = addImages(project, 1)
    expect(project.absolutePath(image!.relPath)).toBe(path.join(dataset, 'images', 'set', 'img_00000.jpg'))
    project.close()

    renameSync(dataset, path.join(base, 'moved'))
    const moved = Project.open(path.join(base, 'moved', 'project'))
    expect(moved.imagesRoot).toBe(path.join(base, 'moved', 'images'))
    moved.close()
  })

  it('widens the images root to cover a folder outside it, rewriting stored paths', () => {
    const base = tempDir()
    const project = Project.create(path.join(base, 'project'), { imagesRoot: path.join(base, 'data', 'a') })
    const [image] = addImages(project, 1)
    const before = project.absolutePath(image!.relPath)
    project.coverFolder(path.join(base, 'data', 'b', 'c'))
    expect(project.imagesRoot).toBe(path.join(base, 'data'))
    expect(project.images.get(image!.id)?.relPath).toBe('a/set/img_00000.jpg')
    expect(project.absolutePath(project.images.get(image!.id)!.relPath)).toBe(before)
    project.close()
  })

  it('converts paths with forward slashes and refuses files outside the root', () => {
    expect(toRelPath('/data/root', '/data/root/a/b.jpg')).toBe('a/b.jpg')
    expect(() => toRelPath('/data/root', '/data/other/b.jpg')).toThrow(/is not inside the images root/)
    expect(commonAncestor('/data/a/b', '/data/a/c/d')).toBe('/data/a')
  })
})
