import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { generateDatasetSpec, renderSyntheticImage } from '../../../src/common/synthetic'

const digest = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

describe('synthetic PerSeg-like dataset', () => {
  const objects = generateDatasetSpec({ seed: 7, objectCount: 12 })

  it('is deterministic for a seed and differs across seeds', () => {
    const again = generateDatasetSpec({ seed: 7, objectCount: 12 })
    expect(again).toEqual(objects)
    const first = renderSyntheticImage(objects[0]!, objects[0]!.images[1]!)
    const second = renderSyntheticImage(again[0]!, again[0]!.images[1]!)
    expect(digest(first.rgb)).toBe(digest(second.rgb))
    const other = generateDatasetSpec({ seed: 8, objectCount: 12 })
    expect(digest(renderSyntheticImage(other[0]!, other[0]!.images[1]!).rgb)).not.toBe(digest(first.rgb))
  })

  it('keeps an object identical when the object count changes', () => {
    const fewer = generateDatasetSpec({ seed: 7, objectCount: 3 })
    expect(fewer[2]).toEqual(objects[2])
  })

  it('has 5-8 images per object, a single-instance reference, absent and two-instance images', () => {
    for (const object of objects) {
      expect(object.images.length).toBeGreaterThanOrEqual(5)
      expect(object.images.length).toBeLessThanOrEqual(8)
      expect(object.images[0]!.index).toBe('00')
      expect(object.images[0]!.instanceCount).toBe(1)
    }
    const counts = objects.flatMap((object) => object.images.slice(1).map((image) => image.instanceCount))
    expect(counts).toContain(0)
    expect(counts).toContain(2)
    expect(objects.some((object) => object.template.partsDifferInColour)).toBe(true)
    expect(objects.some((object) => !object.template.partsDifferInColour)).toBe(true)
    expect(new Set(objects.map((object) => object.template.name)).size).toBe(objects.length)
  })

  it('renders one non-empty, non-overlapping mask per instance, painted in the target colours', () => {
    for (const object of objects.slice(0, 4)) {
      for (const image of object.images) {
        const scene = renderSyntheticImage(object, image)
        expect(scene.rgb.length).toBe(image.width * image.height * 3)
        expect(scene.instanceMasks).toHaveLength(image.instanceCount)
        const seen = new Uint8Array(image.width * image.height)
        for (const mask of scene.instanceMasks) {
          let area = 0
          let overlapping = 0
          for (let i = 0; i < mask.length; i++) {
            if (!mask[i]) continue
            area++
            if (seen[i]) overlapping++
            seen[i] = 1
          }
          expect(overlapping).toBe(0)
          // An instance covers a real share of the image (scale 0.1-0.24 of the short side).
          expect(area).toBeGreaterThan(0.004 * image.width * image.height)
        }
      }
    }
  })

  it('paints instance pixels near one of the object part colours', () => {
    const object = objects[1]!
    const scene = renderSyntheticImage(object, object.images[0]!)
    const mask = scene.instanceMasks[0]!
    let near = 0
    let total = 0
    for (let i = 0; i < mask.length; i++) {
      if (!mask[i]) continue
      total++
      const pixel = [scene.rgb[i * 3]!, scene.rgb[i * 3 + 1]!, scene.rgb[i * 3 + 2]!]
      const distance = Math.min(...object.template.parts.map((part) => Math.hypot(...part.color.map((c, k) => c - pixel[k]!))))
      if (distance < 60) near++
    }
    expect(near / total).toBeGreaterThan(0.95)
  })
})
