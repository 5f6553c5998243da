import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { describe, expect, it, vi } from 'vitest'
import { maskArea, masksEqual } from '../../../../../src/common/mask/index'
import { exportPerseg } from '../../../../../src/main/services/exchange/perseg/persegExport'
import { importPerseg } from '../../../../../src/main/services/exchange/perseg/persegImport'
import { readMaskImage } from '../../../../../src/main/services/images/maskPng'
import { writeSyntheticDataset } from '../../../../../src/main/services/synthetic/writeSyntheticDataset'
import { Project, binaryOfStored } from '../../../../../src/main/services/store/index'
import { tempDir } from '../../../../helpers/tempDir'

async function dataset() {
  const base = tempDir('persam-perseg-')
  const root = path.join(base, 'perseg')
  const manifest = await writeSyntheticDataset(root, { seed: 7, objectCount: 3, minImages: 3, maxImages: 4, absentRate: 0.25, sizes: [[96, 64], [64, 80]] })
  return { base, root, manifest }
}

describe('PerSeg import', () => {
  it('makes one category per object, one accepted mask per image (absent for empty masks), the first image the reference', async () => {
    const { base, root, manifest } = await dataset()
    const project = Project.create(path.join(base, 'project'), { imagesRoot: root })
    const report = await importPerseg(project, root)
    const total = manifest.objects.reduce((n, o) => n + o.images.length, 0)
    expect(report).toEqual({ imported: { images: total, annotations: total, categories: 3 }, skipped: [], duplicates: [] })
    expect(project.categories.list().map((c) => c.name)).toEqual(manifest.objects.map((o) => o.name).sort())
    for (const object of manifest.objects) {
      const category = project.categories.byName(object.name)!
      for (const entry of object.images) {
        const image = project.images.byRelPath(path.relative(project.imagesRoot, path.join(root, entry.file)).split(path.sep).join('/'))!
        const [annotation] = project.annotations.forImage(image.id)
        const expected = await readMaskImage(path.join(root, entry.mask))
        if (maskArea(expected) === 0) expect(annotation).toMatchObject({ status: 'absent', mask: null, categoryId: category.id })
        else {
          expect(annotation).toMatchObject({ status: 'accepted', source: 'manual', categoryId: category.id })
          expect(masksEqual(binaryOfStored(annotation!.mask!), expected)).toBe(true)
        }
      }
      const references = project.references.members(project.references.defaultSet(category.id).id)
      expect(references).toHaveLength(1)
      const firstPresent = object.images.find((entry) => entry.instanceCount > 0)!
      expect(project.images.get(references[0]!.imageId)!.relPath.endsWith(firstPresent.file.split('/').slice(1).join('/'))).toBe(true)
    }
    project.close()
  })

  it('reports a mask whose size differs, and changes nothing when the write fails', async () => {
    const { base, root, manifest } = await dataset()
    const victim = manifest.objects[0]!.images[1]!
    await sharp(Buffer.alloc(5 * 5 * 3), { raw: { width: 5, height: 5, channels: 3 } }).png().toFile(path.join(root, victim.mask))
    const project = Project.create(path.join(base, 'project'), { imagesRoot: root })
    const report = await importPerseg(project, root)
    expect(report.skipped).toEqual([{ where: path.join(root, victim.mask), message: `mask is 5x5 but the image is ${victim.width}x${victim.height} (after EXIF orientation)` }])

    const other = Project.create(path.join(base, 'other'), { imagesRoot: root })
    vi.spyOn(other.annotations, 'importMany').mockImplementation(() => {
      throw new Error('disk full (simulated)')
    })
    await expect(importPerseg(other, root)).rejects.toThrow('disk full (simulated)')
    expect([other.images.count(), other.categories.list().length]).toEqual([0, 0])
    await expect(importPerseg(other, path.join(root, 'Images'))).rejects.toThrow(/is not a PerSeg folder: Images\/ is missing/)
    project.close()
    other.close()
  })
})

describe('PerSeg export', () => {
  it('writes contiguous Images/<category>/NN.jpg and Annotations/<category>/NN.png that import back to the same masks', async () => {
    const { base, root } = await dataset()
    const project = Project.create(path.join(base, 'project'), { imagesRoot: root })
    await importPerseg(project, root)
    const out = path.join(base, 'exported')
    const report = await exportPerseg(project, out)
    expect(readdirSync(base).some((name) => name.endsWith('.tmp'))).toBe(false)
    for (const category of project.categories.list()) {
      const files = readdirSync(path.join(out, 'Images', category.name))
      expect(files).toEqual(files.map((_, i) => `${String(i).padStart(2, '0')}.jpg`))
      expect(readdirSync(path.join(out, 'Annotations', category.name))).toEqual(files.map((f) => f.replace('.jpg', '.png')))
    }
    expect(report.images).toBe(project.images.annotationCounts().accepted)

    // Unrotated JPEGs are copied byte for byte; masks use PerSeg's (128,0,0).
    const first = project.categories.list()[0]!
    const reference = project.references.members(project.references.defaultSet(first.id).id)[0]!
    const source = project.absolutePath(project.images.get(reference.imageId)!.relPath)
    expect(readFileSync(path.join(out, 'Images', first.name, '00.jpg')).equals(readFileSync(source))).toBe(true)

    const again = Project.create(path.join(base, 'again'), { imagesRoot: out })
    await importPerseg(again, out)
    for (const category of project.categories.list()) {
      const masksOf = (p: Project) =>
        p.annotations
          .list({ categoryId: p.categories.byName(category.name)!.id, statuses: ['accepted'], limit: 100 })
          .items.map((a) => Buffer.from(binaryOfStored(p.annotations.get(a.id)!.mask!).data).toString('base64'))
          .sort()
      expect(masksOf(again)).toEqual(masksOf(project))
    }
    writeFileSync(path.join(out, 'extra.txt'), 'x')
    await expect(exportPerseg(project, out)).rejects.toThrow(/already exists and is not empty/)
    project.close()
    again.close()
  })
})
