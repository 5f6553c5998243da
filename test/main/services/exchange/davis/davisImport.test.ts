/**
 * DAVIS import: a studio export imported into a fresh project gives back the same masks (pixel
 * for pixel), sequences, frame order and categories, and exports to the same object ids; a DAVIS
 * folder from elsewhere (no objects.json, natural frame order, sub-8-bit palette) is read by palette
 * index; malformed folders are refused naming the file and leave the project unchanged.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { decode, encode } from 'fast-png'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { detectAnnotations } from '../../../../../src/main/services/exchange/detectAnnotations'
import { exportDavis } from '../../../../../src/main/services/exchange/davis/davisExport'
import { importDavis } from '../../../../../src/main/services/exchange/davis/davisImport'
import { encodeDavisPng } from '../../../../../src/main/services/exchange/davis/davisPalette'
import { binaryOfStored, Project } from '../../../../../src/main/services/store/index'
import { tempDir } from '../../../../helpers/tempDir'
import { buildSequenceProject } from './sequenceFixture'

/** Per sequence, per frame: "category/objectId" -> mask bytes, for the exported statuses. */
function masksBySequence(project: Project): Record<string, Record<string, string>[]> {
  const out: Record<string, Record<string, string>[]> = {}
  for (const sequence of project.sequences.list()) {
    out[sequence.name] = project.sequences.frames(sequence.id).map((frame) => {
      const byObject: Record<string, string> = {}
      for (const annotation of project.annotations.forImage(frame.imageId)) {
        if (annotation.mask === null || !['accepted', 'edited'].includes(annotation.status)) continue
        const category = project.categories.require(annotation.categoryId).name
        const objectId = (annotation.method as { objectId?: string } | null)?.objectId ?? ''
        byObject[`${category}/${objectId}`] = Buffer.from(binaryOfStored(annotation.mask).data).toString('base64')
      }
      return byObject
    })
  }
  return out
}

function newProject(base: string, imagesRoot: string): Project {
  return Project.create(path.join(base, `project-${Math.random().toString(36).slice(2)}`), { imagesRoot })
}

async function writeFrame(file: string, width: number, height: number): Promise<void> {
  await sharp(new Uint8Array(width * height * 3).fill(90), { raw: { width, height, channels: 3 } }).jpeg().toFile(file)
}

/** A DAVIS folder as other tools write it: one sequence "bear", no objects.json. */
async function foreignDavis(base: string, frames: readonly string[], width = 8, height = 6): Promise<string> {
  const root = path.join(base, 'DAVIS')
  mkdirSync(path.join(root, 'JPEGImages', '480p', 'bear'), { recursive: true })
  mkdirSync(path.join(root, 'Annotations', '480p', 'bear'), { recursive: true })
  for (const name of frames) await writeFrame(path.join(root, 'JPEGImages', '480p', 'bear', `${name}.jpg`), width, height)
  return root
}

describe('DAVIS import', () => {
  it('round trip: export, import into a fresh project, the same masks, sequences, frame order and object ids', async () => {
    const { project, base } = await buildSequenceProject()
    const out = path.join(base, 'davis')
    await exportDavis(project, out)
    const fresh = newProject(base, out)
    const report = await importDavis(fresh, out)
    expect(report.imported).toEqual({ images: 5, annotations: 6, categories: 2 })
    expect(fresh.sequences.list().map((s) => [s.name, s.frameCount, s.source])).toEqual([
      ['swim', 2, 'frames'],
      ['walk', 3, 'frames'],
    ])
    const walk = fresh.sequences.byName('walk')!
    expect(fresh.sequences.frames(walk.id).map((f) => [f.frameIndex, fresh.images.require(f.imageId).relPath])).toEqual([
      [0, 'JPEGImages/480p/walk/00000.jpg'],
      [1, 'JPEGImages/480p/walk/00001.jpg'],
      [2, 'JPEGImages/480p/walk/00002.jpg'],
    ])
    expect(masksBySequence(fresh)).toEqual(masksBySequence(project))
    expect(fresh.categories.list().map((c) => [c.name, c.supercategory])).toEqual([
      ['cat', 'animal'],
      ['dog', null],
    ])
    expect(fresh.annotations.forImage(fresh.sequences.frames(walk.id)[0]!.imageId).map((a) => [a.status, a.method])).toEqual([
      ['accepted', { davis: { sequence: 'walk', object: 1 }, objectId: 'd2' }],
    ])
    // Exported again, every annotation PNG holds the same ids.
    const again = path.join(base, 'davis-again')
    await exportDavis(fresh, again)
    for (const [sequence, count] of [['walk', 3], ['swim', 2]] as const) {
      for (let i = 0; i < count; i++) {
        const file = path.join('Annotations', '480p', sequence, `0000${i}.png`)
        expect(decode(readFileSync(path.join(again, file))).data).toEqual(decode(readFileSync(path.join(out, file))).data)
      }
    }
    expect(readFileSync(path.join(again, 'objects.json'), 'utf8')).toBe(readFileSync(path.join(out, 'objects.json'), 'utf8'))
    project.close()
    fresh.close()
  })

  it('reads a folder without objects.json by palette index, frames in natural order, one category per object id', async () => {
    const base = tempDir('persam-davis-foreign-')
    const root = await foreignDavis(base, ['frame10', 'frame2', 'frame9'])
    // frame2: objects 1 and 2, written with a 2-bit palette whose colours are not DAVIS's; frame9: object 2; frame10: none.
    const ids2 = Uint8Array.from({ length: 48 }, (_, p) => (p % 8 < 3 ? 1 : p % 8 > 5 ? 2 : 0))
    const packed = new Uint8Array(12)
    ids2.forEach((id, p) => (packed[Math.floor(p / 4)]! |= id << (6 - 2 * (p % 4))))
    writeFileSync(path.join(root, 'Annotations', '480p', 'bear', 'frame2.png'), encode({ width: 8, height: 6, data: packed, depth: 2, channels: 1, palette: [[0, 0, 0], [255, 255, 0], [0, 255, 255]] }))
    const ids9 = Uint8Array.from({ length: 48 }, (_, p) => (p === 47 ? 2 : 0))
    writeFileSync(path.join(root, 'Annotations', '480p', 'bear', 'frame9.png'), encodeDavisPng(8, 6, ids9))
    const project = newProject(base, root)
    const report = await importDavis(project, root)
    expect(report.imported).toEqual({ images: 3, annotations: 3, categories: 2 })
    expect(report.skipped).toEqual([{ where: 'bear', message: '1 of 3 frames have no annotation PNG; they are added without masks' }])
    const frames = project.sequences.frames(project.sequences.byName('bear')!.id)
    expect(frames.map((f) => path.basename(project.images.require(f.imageId).relPath))).toEqual(['frame2.jpg', 'frame9.jpg', 'frame10.jpg'])
    const maskOf = (frame: number, category: string) => {
      const found = project.annotations.forImage(frames[frame]!.imageId).find((a) => project.categories.require(a.categoryId).name === category)
      return found ? [...binaryOfStored(found.mask!).data] : null
    }
    expect(maskOf(0, 'bear object 1')).toEqual([...ids2].map((id) => (id === 1 ? 1 : 0)))
    expect(maskOf(0, 'bear object 2')).toEqual([...ids2].map((id) => (id === 2 ? 1 : 0)))
    expect(maskOf(1, 'bear object 2')).toEqual([...ids9].map((id) => (id === 2 ? 1 : 0)))
    expect(maskOf(2, 'bear object 1')).toBeNull()
    expect(await detectAnnotations(root)).toEqual({ coco: [], perseg: false, davis: true })
    project.close()
  })

  it('refuses malformed folders naming the file, and changes nothing', async () => {
    const base = tempDir('persam-davis-bad-')
    const root = await foreignDavis(base, ['00000', '00001'])
    const project = newProject(base, root)
    const unchanged = () => expect([project.images.count(), project.sequences.list().length, project.categories.list().length]).toEqual([0, 0, 0])

    const good = encodeDavisPng(8, 6, new Uint8Array(48).fill(1))
    writeFileSync(path.join(root, 'Annotations', '480p', 'bear', '00000.png'), good)
    // A mask of another size than its frame.
    const wrongSize = path.join(root, 'Annotations', '480p', 'bear', '00001.png')
    writeFileSync(wrongSize, encodeDavisPng(6, 8, new Uint8Array(48)))
    await expect(importDavis(project, root)).rejects.toThrow(`${wrongSize}: the mask is 6x8 but its frame 00001.jpg is 8x6`)
    unchanged()

    // An RGB PNG (no palette) with a colour outside the DAVIS palette.
    const rgb = new Uint8Array(48 * 3)
    rgb.set([10, 20, 30], (2 * 8 + 3) * 3)
    await sharp(rgb, { raw: { width: 8, height: 6, channels: 3 } }).png().toFile(wrongSize)
    await expect(importDavis(project, root)).rejects.toThrow(`${wrongSize}: pixel (3, 2) has colour 0a141e, not in the DAVIS palette`)
    unchanged()

    // objects.json with a bad entry.
    writeFileSync(wrongSize, good)
    writeFileSync(path.join(root, 'objects.json'), JSON.stringify({ sequences: { bear: { objects: [{ id: 0, category: 'bear' }] } } }))
    await expect(importDavis(project, root)).rejects.toThrow(`${path.join(root, 'objects.json')}: sequences.bear.objects[0].id`)
    unchanged()
    rmSync(path.join(root, 'objects.json'))

    // No Annotations folder at all.
    rmSync(path.join(root, 'Annotations'), { recursive: true })
    await expect(importDavis(project, root)).rejects.toThrow(`${path.join(root, 'Annotations')}: missing`)
    unchanged()
    expect((await detectAnnotations(root)).davis).toBe(false)
    project.close()
  })

  it('refuses a sequence name the project already has', async () => {
    const { project, base } = await buildSequenceProject()
    const out = path.join(base, 'davis')
    await exportDavis(project, out)
    const before = project.images.count()
    await expect(importDavis(project, out)).rejects.toThrow(/already has a sequence named "swim"/)
    expect(project.images.count()).toBe(before)
    project.close()
  })
})
