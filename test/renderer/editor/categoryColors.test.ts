import { describe, expect, it } from 'vitest'
import { closestPair } from '../../helpers/cielab'
import { FakeStudio } from '../helpers/fakeStudio'
import { TestEditor } from '../helpers/TestEditor'

/** Clearly different at a glance: about 2 is just noticeable, 10 already reads as another colour. */
const MIN_DELTA_E = 15

describe('new category colours', () => {
  it('are pairwise distinct for a dozen categories, next to an existing blue one', async () => {
    const editor = await TestEditor.withDemo()
    for (let i = 0; i < 12; i++) await editor.categories.create(`object ${i}`)
    const colors = editor.doc.categories.map((c) => c.color)
    expect(colors).toHaveLength(13)
    expect(new Set(colors).size).toBe(13)
    const closest = closestPair(colors)
    expect(closest.distance, `${closest.pair.join(' and ')} look alike`).toBeGreaterThanOrEqual(MIN_DELTA_E)
  })

  it('keep away from a colour the user picked', async () => {
    const fake = new FakeStudio()
    fake.categories = []
    const editor = await TestEditor.withDemo(fake)
    const first = await editor.categories.create('sky')
    await editor.categories.update(first!.id, { color: '#f0a040' })
    for (let i = 0; i < 5; i++) await editor.categories.create(`object ${i}`)
    const closest = closestPair(editor.doc.categories.map((c) => c.color))
    expect(closest.distance, `${closest.pair.join(' and ')} look alike`).toBeGreaterThanOrEqual(MIN_DELTA_E)
  })
})
