/**
 * DAVIS export: palette PNGs read back by two independent decoders (fast-png's indices and
 * sharp's palette-expanded colours), object numbering by first appearance, overlaps resolved by
 * score, frames copied or re-encoded as JPEG, objects.json, and a project without sequences.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { decode } from 'fast-png'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { davisColour } from '../../../../../src/main/services/exchange/davis/davisPalette'
import { exportDavis } from '../../../../../src/main/services/exchange/davis/davisExport'
import { exportProject } from '../../../../../src/main/services/exchange/exportProject'
import { Project } from '../../../../../src/main/services/store/index'
import { tempDir } from '../../../../helpers/tempDir'
import { DISJOINT_MASKS, buildSequenceProject, rect, type PlannedMask } from './sequenceFixture'

/** Palette indices by fast-png, and the colours sharp expands them to; both must tell the same ids. */
async function readBothWays(file: string): Promise<{ width: number; height: number; ids: number[] }> {
  const png = decode(readFileSync(file))
  expect(png.palette, `${file} has a palette`).toBeDefined()
  expect([png.channels, png.depth]).toEqual([1, 8])
  expect(png.palette!.slice(0, 6)).toEqual([0, 1, 2, 3, 4, 5].map(davisColour))
  const ids = [...(png.data as Uint8Array)]
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  expect([info.width, info.height, info.channels]).toEqual([png.width, png.height, 3])
  ids.forEach((id, p) => expect([data[p * 3], data[p * 3 + 1], data[p * 3 + 2]]).toEqual(davisColour(id)))
  return { width: png.width, height: png.height, ids }
}

/** The ids a frame should hold: each planned mask painted with its object's number. */
function expectedIds(width: number, height: number, painted: readonly { mask: PlannedMask['mask']; id: number }[]): number[] {
  const ids = new Array<number>(width * height).fill(0)
  for (const { mask, id } of painted) mask.data.forEach((bit, p) => bit && (ids[p] = id))
  return ids
}

describe('DAVIS export', () => {
  it('writes palette PNGs whose indices are the object ids, numbered by first appearance, and the frames as JPEG', async () => {
    const { project, base, frameFiles } = await buildSequenceProject()
    const out = path.join(base, 'davis')
    const report = await exportDavis(project, out)
    expect(report).toMatchObject({ images: 5, annotations: 6 })
    // swim: the cat only (the dog is a proposal); walk: dog d2 first (frame 0), then the cat and dog d1 (frame 1, category order).
    const objects = JSON.parse(readFileSync(path.join(out, 'objects.json'), 'utf8'))
    expect(objects.sequences).toEqual({
      swim: { name: 'swim', objects: [{ id: 1, category: 'cat', objectId: null }] },
      walk: {
        name: 'walk',
        objects: [
          { id: 1, category: 'dog', objectId: 'd2' },
          { id: 2, category: 'cat', objectId: null },
          { id: 3, category: 'dog', objectId: 'd1' },
        ],
      },
    })
    expect(objects.categories).toEqual([
      { name: 'cat', supercategory: 'animal' },
      { name: 'dog', supercategory: null },
    ])
    const walk = (frame: number) => DISJOINT_MASKS.filter((m) => m.sequence === 'walk' && m.frame === frame && (m.status ?? 'accepted') !== 'rejected')
    const idOf = (m: PlannedMask) => (m.category === 'cat' ? 2 : m.objectId === 'd2' ? 1 : 3)
    for (const frame of [0, 1, 2]) {
      const read = await readBothWays(path.join(out, 'Annotations', '480p', 'walk', `0000${frame}.png`))
      expect(read.ids).toEqual(expectedIds(24, 16, walk(frame).map((m) => ({ mask: m.mask, id: idOf(m) }))))
    }
    expect((await readBothWays(path.join(out, 'Annotations', '480p', 'walk', '00002.png'))).ids.every((id) => id === 0)).toBe(true)
    const swim1 = await readBothWays(path.join(out, 'Annotations', '480p', 'swim', '00001.png'))
    expect(swim1.ids).toEqual(expectedIds(20, 12, [{ mask: rect(20, 12, 1, 0, 6, 12), id: 1 }]))
    // JPEG frames are copied byte for byte; PNG frames are encoded as JPEG at their own size.
    expect(readdirSync(path.join(out, 'JPEGImages', '480p', 'walk'))).toEqual(['00000.jpg', '00001.jpg', '00002.jpg'])
    frameFiles.walk.forEach((file, i) => expect(readFileSync(path.join(out, 'JPEGImages', '480p', 'walk', `0000${i}.jpg`)).equals(readFileSync(file))).toBe(true))
    const swimFrame = await sharp(path.join(out, 'JPEGImages', '480p', 'swim', '00001.jpg')).metadata()
    expect([swimFrame.format, swimFrame.width, swimFrame.height]).toEqual(['jpeg', 20, 12])
    expect(report.warnings.map((w) => w.message).join('\n')).toMatch(/original size \(20x12, 24x16\)/)
    project.close()
  })

  it('gives a pixel claimed by two masks to the higher-scored one (a manual mask counts as score 1)', async () => {
    const masks: PlannedMask[] = [
      { sequence: 'walk', frame: 0, category: 'cat', mask: rect(24, 16, 0, 0, 12, 10), score: 0.8 },
      { sequence: 'walk', frame: 0, category: 'dog', mask: rect(24, 16, 6, 4, 18, 14), score: 0.4 },
      { sequence: 'walk', frame: 0, category: 'dog', objectId: 'manual', mask: rect(24, 16, 10, 0, 20, 6), score: null },
    ]
    const { project, base } = await buildSequenceProject(masks)
    const out = path.join(base, 'davis')
    await exportDavis(project, out)
    const { ids } = await readBothWays(path.join(out, 'Annotations', '480p', 'walk', '00000.png'))
    // Objects: cat 1, dog 2 (no object id sorts first), dog "manual" 3; painted lowest score first.
    expect(ids).toEqual(
      expectedIds(24, 16, [
        { mask: masks[1]!.mask, id: 2 },
        { mask: masks[0]!.mask, id: 1 },
        { mask: masks[2]!.mask, id: 3 },
      ]),
    )
    expect(ids[5 * 24 + 7]).toBe(1) // cat over dog
    expect(ids[2 * 24 + 11]).toBe(3) // the manual mask over the cat
    expect(ids[12 * 24 + 15]).toBe(2) // the dog where nothing else is
    project.close()
  })

  it('exports proposals when asked, through exportProject, and only the chosen categories', async () => {
    const { project, base } = await buildSequenceProject()
    const out = path.join(base, 'nested', 'davis')
    const report = await exportProject(project, { format: 'davis', target: out, statuses: ['accepted', 'edited', 'proposed'], categoryIds: [project.categories.byName('dog')!.id] })
    const objects = JSON.parse(readFileSync(path.join(out, 'objects.json'), 'utf8'))
    expect(objects.sequences.swim.objects).toEqual([{ id: 1, category: 'dog', objectId: null }])
    expect(report.annotations).toBe(4)
    const { ids } = await readBothWays(path.join(out, 'Annotations', '480p', 'swim', '00001.png'))
    expect(ids).toEqual(expectedIds(20, 12, [{ mask: rect(20, 12, 10, 2, 18, 10), id: 1 }]))
    project.close()
  })

  it('refuses a project without sequences and writes nothing', async () => {
    const base = tempDir('persam-davis-none-')
    const project = Project.create(path.join(base, 'project'), { imagesRoot: base })
    await expect(exportDavis(project, path.join(base, 'davis'))).rejects.toThrow(/no frame sequences/)
    expect(existsSync(path.join(base, 'davis'))).toBe(false)
    project.close()
  })
})
