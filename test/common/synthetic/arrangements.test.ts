import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { generateDatasetSpec, renderSyntheticImage } from '../../../src/common/synthetic'
import { rearranged } from '../../../src/common/synthetic/arrangements'
import { Random } from '../../../src/common/synthetic/random'

const digest = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

describe('the arrangements recipe', () => {
  const objects = generateDatasetSpec({ recipe: 'arrangements', seed: 7, objectCount: 10 })

  it('is deterministic and differs from the parts recipe for the same seed', () => {
    const again = generateDatasetSpec({ recipe: 'arrangements', seed: 7, objectCount: 10 })
    expect(again).toEqual(objects)
    const image = objects[0]!.images[1]!
    expect(digest(renderSyntheticImage(again[0]!, image).rgb)).toBe(digest(renderSyntheticImage(objects[0]!, image).rgb))
    const parts = generateDatasetSpec({ seed: 7, objectCount: 10 })
    expect(parts[0]!.recipe).toBe('parts')
    expect(objects[0]!.recipe).toBe('arrangements')
    expect(objects[0]!.template.parts.length).toBeGreaterThanOrEqual(3)
    expect(objects.map((o) => o.template.name)).not.toEqual(parts.map((o) => o.template.name))
  })

  it('keeps the PerSeg shape: single-instance reference, absent and two-instance images', () => {
    const counts = objects.flatMap((object) => object.images.slice(1).map((image) => image.instanceCount))
    expect(counts).toContain(0)
    expect(counts).toContain(2)
    for (const object of objects) expect(object.images[0]!.instanceCount).toBe(1)
  })

  it('builds look-alikes from the same parts in another arrangement', () => {
    const template = objects[2]!.template
    const moved = rearranged(template, new Random(5))
    expect(moved.map((part) => [part.color, part.texture, part.shape.kind])).toEqual(template.parts.map((part) => [part.color, part.texture, part.shape.kind]))
    moved.forEach((part, i) => expect([part.shape.dx, part.shape.dy]).not.toEqual([template.parts[i]!.shape.dx, template.parts[i]!.shape.dy]))
  })

  it('renders non-overlapping, non-empty instance masks that occluders can cut into', () => {
    let occluded = 0
    for (const object of objects.slice(0, 5)) {
      for (const image of object.images) {
        const scene = renderSyntheticImage(object, image)
        expect(scene.instanceMasks).toHaveLength(image.instanceCount)
        const seen = new Uint8Array(image.width * image.height)
        for (const mask of scene.instanceMasks) {
          let area = 0
          let overlapping = 0
          for (let i = 0; i < mask.length; i++) {
            if (!mask[i]) continue
            area++
            overlapping += seen[i]!
            seen[i] = 1
          }
          expect(overlapping).toBe(0)
          expect(area).toBeGreaterThan(0.002 * image.width * image.height)
          // Occluded masks have rows interrupted inside the object.
          if (hasInteriorGap(mask, image.width, image.height)) occluded++
        }
      }
    }
    expect(occluded).toBeGreaterThan(0)
  })
})

/** A row of the mask where the mask is interrupted by at least 3 pixels between two runs. */
function hasInteriorGap(mask: Uint8Array, width: number, height: number): boolean {
  let gaps = 0
  for (let y = 0; y < height; y++) {
    let first = -1
    let last = -1
    let count = 0
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue
      if (first < 0) first = x
      last = x
      count++
    }
    if (first >= 0 && last - first + 1 - count >= 3) gaps++
  }
  return gaps > 3
}
