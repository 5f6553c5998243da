import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CocoWriter } from '../../../../../src/main/services/exchange/coco/cocoWriter'
import { tempDir } from '../../../../helpers/tempDir'

describe('the COCO document writer', () => {
  it('writes info, optional licenses, categories, images and annotations as one JSON document', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'a.json')
    const writer = await CocoWriter.create(file, { info: { description: 'd' } }, [{ id: 1, name: 'mug' }])
    writer.image({ id: 1, file_name: 'x.jpg', width: 4, height: 3 })
    writer.image({ id: 2, file_name: 'y.jpg', width: 5, height: 6 })
    writer.annotation({ id: 1, image_id: 2, score: 0.5 })
    writer.annotation('{"id":2,"image_id":1}')
    await writer.commit()
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      info: { description: 'd' },
      categories: [{ id: 1, name: 'mug' }],
      images: [{ id: 1, file_name: 'x.jpg', width: 4, height: 3 }, { id: 2, file_name: 'y.jpg', width: 5, height: 6 }],
      annotations: [{ id: 1, image_id: 2, score: 0.5 }, { id: 2, image_id: 1 }],
    })
    const empty = await CocoWriter.create(path.join(dir, 'b.json'), { info: {}, licenses: true }, [])
    await empty.commit()
    expect(JSON.parse(readFileSync(path.join(dir, 'b.json'), 'utf8'))).toEqual({ info: {}, licenses: [], categories: [], images: [], annotations: [] })
  })

  it('refuses an image without integer width and height, and leaves no file when aborted', async () => {
    const dir = tempDir()
    const writer = await CocoWriter.create(path.join(dir, 'c.json'), { info: {} }, [])
    expect(() => writer.image({ id: 1, file_name: 'absent.jpg', width: null as unknown as number, height: 3 })).toThrow(/absent\.jpg: width is null/)
    expect(() => writer.image({ id: 1, file_name: 'half.jpg', width: 2.5, height: 3 })).toThrow(/half\.jpg: width is 2\.5/)
    writer.annotation({ id: 1 })
    expect(() => writer.image({ id: 2, file_name: 'late.jpg', width: 1, height: 1 })).toThrow(/images written after the annotations/)
    await writer.abort()
    expect(readdirSync(dir)).toEqual([])
  })

  it('writes a frame of a sequence with its sequence, frame_index and optional timestamp_ms, and refuses bad ones', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'seq.json')
    const writer = await CocoWriter.create(file, { info: {} }, [])
    writer.image({ id: 1, file_name: 'f0.png', width: 4, height: 3, sequence: 'walk', frame_index: 0, timestamp_ms: 0 })
    writer.image({ id: 2, file_name: 'f1.png', width: 4, height: 3, sequence: 'walk', frame_index: 1 })
    expect(() => writer.image({ id: 3, file_name: 'bad.png', width: 4, height: 3, sequence: 'walk', frame_index: -1 })).toThrow(/bad\.png: frame_index is -1/)
    expect(() => writer.image({ id: 3, file_name: 'late.png', width: 4, height: 3, sequence: 'walk', frame_index: 2, timestamp_ms: Number.NaN })).toThrow(/late\.png: timestamp_ms is NaN/)
    expect(() => writer.image({ id: 3, file_name: 'anon.png', width: 4, height: 3, sequence: '' })).toThrow(/anon\.png: sequence is ""/)
    await writer.commit()
    expect(JSON.parse(readFileSync(file, 'utf8')).images).toEqual([
      { id: 1, file_name: 'f0.png', width: 4, height: 3, sequence: 'walk', frame_index: 0, timestamp_ms: 0 },
      { id: 2, file_name: 'f1.png', width: 4, height: 3, sequence: 'walk', frame_index: 1 },
    ])
  })
})
