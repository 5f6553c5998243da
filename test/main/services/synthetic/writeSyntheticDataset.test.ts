import { mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { writeSyntheticDataset } from '../../../../src/main/services/synthetic/writeSyntheticDataset'

describe('writeSyntheticDataset', () => {
  it('writes the PerSeg layout with masks that agree with the manifest', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'synthetic-'))
    const manifest = await writeSyntheticDataset(out, { seed: 3, objectCount: 2 })
    expect(readdirSync(path.join(out, 'Images')).sort()).toEqual(manifest.objects.map((o) => o.name).sort())
    expect(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'))).toEqual(manifest)
    for (const object of manifest.objects) {
      const files = readdirSync(path.join(out, 'Images', object.name)).sort()
      expect(files).toEqual(object.images.map((_, i) => `${String(i).padStart(2, '0')}.jpg`))
      for (const image of object.images) {
        const meta = await sharp(path.join(out, image.file)).metadata()
        expect([meta.width, meta.height, meta.format]).toEqual([image.width, image.height, 'jpeg'])
        const { data, info } = await sharp(path.join(out, image.mask)).raw().toBuffer({ resolveWithObject: true })
        let foreground = 0
        let otherValues = 0
        for (let i = 0; i < info.width * info.height; i++) {
          const r = data[i * info.channels]!
          if (r === 128) foreground++
          else if (r !== 0) otherValues++
        }
        expect(otherValues).toBe(0)
        const boxArea = image.instanceBoxes.reduce((sum, [, , w, h]) => sum + w * h, 0)
        if (image.instanceCount === 0) expect(foreground).toBe(0)
        else expect(foreground).toBeGreaterThan(0.3 * boxArea)
        expect(foreground).toBeLessThanOrEqual(boxArea)
      }
    }
  })
})
