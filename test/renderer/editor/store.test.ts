import { describe, expect, it } from 'vitest'
import { Store } from '../../../src/renderer/src/editor/store'

describe('Store', () => {
  it('tells listeners about each change with the previous state, and nothing for a no-op', () => {
    const store = new Store({ count: 0 })
    const seen: [number, number][] = []
    store.subscribe((state, previous) => seen.push([previous.count, state.count]))
    store.update((s) => ({ count: s.count + 1 }))
    store.update((s) => s)
    store.update((s) => ({ count: s.count + 1 }))
    expect(seen).toEqual([
      [0, 1],
      [1, 2],
    ])
  })

  it('emits once per batch, nested batches included, with the state before the batch', () => {
    const store = new Store({ count: 0 })
    const seen: [number, number][] = []
    store.subscribe((state, previous) => seen.push([previous.count, state.count]))
    store.batch(() => {
      store.update((s) => ({ count: s.count + 1 }))
      store.batch(() => store.update((s) => ({ count: s.count + 1 })))
      store.update((s) => ({ count: s.count + 1 }))
    })
    expect(seen).toEqual([[0, 3]])
  })

  it('stops telling a listener once it unsubscribes', () => {
    const store = new Store({ count: 0 })
    let calls = 0
    const unsubscribe = store.subscribe(() => calls++)
    store.update(() => ({ count: 1 }))
    unsubscribe()
    store.update(() => ({ count: 2 }))
    expect(calls).toBe(1)
  })
})
