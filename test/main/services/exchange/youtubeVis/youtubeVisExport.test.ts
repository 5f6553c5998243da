/** YouTube-VIS export: videos, categories and one track per object whose RLEs decode to the masks; COCO frame fields. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodeRle, decompressRle, type BinaryMask } from '../../../../../src/common/mask/index'
import { exportCoco } from '../../../../../src/main/services/exchange/coco/cocoExport'
import { exportProject } from '../../../../../src/main/services/exchange/exportProject'
import { DISJOINT_MASKS, buildSequenceProject, rect } from '../davis/sequenceFixture'

interface Track {
  id: number
  video_id: number
  category_id: number
  object_id?: string
  width: number
  height: number
  segmentations: ({ size: [number, number]; counts: string } | null)[]
  areas: (number | null)[]
  bboxes: ([number, number, number, number] | null)[]
  iscrowd: number
}

const union = (a: BinaryMask, b: BinaryMask): BinaryMask => ({ ...a, data: a.data.map((bit, p) => bit | b.data[p]!) })

describe('YouTube-VIS export', () => {
  it('writes one video per sequence and one track per object, RLE per frame or null', async () => {
    // A second mask of dog d2 on walk frame 1: the track's frame is their union.
    const extra = { sequence: 'walk', frame: 1, category: 'dog', objectId: 'd2', mask: rect(24, 16, 0, 12, 4, 16) } as const
    const { project, base } = await buildSequenceProject([...DISJOINT_MASKS, extra])
    const out = path.join(base, 'out', 'ytvis.json')
    const report = await exportProject(project, { format: 'youtube-vis', target: out })
    const json = JSON.parse(readFileSync(out, 'utf8'))
    expect(Object.keys(json)).toEqual(['info', 'licenses', 'videos', 'categories', 'annotations'])
    expect(json.videos).toEqual([
      { id: 1, name: 'swim', width: 20, height: 12, length: 2, file_names: ['swim/f9.png', 'swim/f10.png'] },
      { id: 2, name: 'walk', width: 24, height: 16, length: 3, file_names: ['walk/f9.jpg', 'walk/f10.jpg', 'walk/f11.jpg'] },
    ])
    expect(json.categories).toEqual([
      { id: 1, name: 'cat', supercategory: 'animal' },
      { id: 2, name: 'dog', supercategory: '' },
    ])
    const tracks = json.annotations as Track[]
    expect(tracks.map((t) => [t.id, t.video_id, t.category_id, t.object_id ?? null, t.segmentations.length, t.width, t.height])).toEqual([
      [1, 1, 1, null, 2, 20, 12],
      [2, 2, 2, 'd2', 3, 24, 16],
      [3, 2, 1, null, 3, 24, 16],
      [4, 2, 2, 'd1', 3, 24, 16],
    ])
    const decoded = (track: Track, frame: number) => {
      const rle = track.segmentations[frame]
      return rle ? decodeRle(decompressRle(rle)) : null
    }
    const d2 = tracks[1]!
    expect(decoded(d2, 0)).toEqual(rect(24, 16, 2, 2, 8, 9))
    expect(decoded(d2, 1)).toEqual(union(rect(24, 16, 3, 2, 9, 9), rect(24, 16, 0, 12, 4, 16)))
    expect(decoded(d2, 2)).toBeNull()
    expect(d2.areas).toEqual([42, 42 + 16, null])
    expect(d2.bboxes).toEqual([[2, 2, 6, 7], [0, 2, 9, 14], null])
    expect(decoded(tracks[2]!, 0)).toBeNull()
    expect(decoded(tracks[2]!, 1)).toEqual(rect(24, 16, 12, 1, 20, 6))
    expect(decoded(tracks[0]!, 1)).toEqual(rect(20, 12, 1, 0, 6, 12))
    expect(tracks.every((t) => t.iscrowd === 0)).toBe(true)
    expect(report).toMatchObject({ images: 5, annotations: 7 })
    project.close()
  })

  it('COCO export gives each frame its sequence, 0-based position in frame order and time', async () => {
    const { project, base } = await buildSequenceProject()
    project.images.add([{ relPath: 'still.jpg', contentHash: 'f'.repeat(64), byteSize: 1, width: 4, height: 4, format: 'jpeg' }])
    const out = path.join(base, 'coco.json')
    await exportCoco(project, out)
    const images = JSON.parse(readFileSync(out, 'utf8')).images as Record<string, unknown>[]
    const byName = new Map(images.map((image) => [image.file_name, image]))
    // Stored frame indices are 0, 2, 4: the export numbers positions.
    expect(byName.get('walk/f11.jpg')).toMatchObject({ sequence: 'walk', frame_index: 2, timestamp_ms: 80 })
    expect(byName.get('swim/f9.png')).toMatchObject({ sequence: 'swim', frame_index: 0, timestamp_ms: 0 })
    expect(Object.keys(byName.get('still.jpg')!)).toEqual(['id', 'file_name', 'width', 'height'])
    project.close()
  })
})
