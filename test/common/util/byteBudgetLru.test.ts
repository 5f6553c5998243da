import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ByteBudgetLru } from '../../../src/common/util/byteBudgetLru'

function moveToEnd(order: string[], key: string): void {
  order.splice(order.indexOf(key), 1)
  order.push(key)
}

describe('ByteBudgetLru', () => {
  it('evicts least recently used entries once the byte budget is exceeded', () => {
    const lru = new ByteBudgetLru<string, Uint8Array>(10, (value) => value.byteLength)
    lru.set('a', new Uint8Array(4))
    lru.set('b', new Uint8Array(4))
    expect(lru.get('a')).toBeDefined() // a is now the most recent
    lru.set('c', new Uint8Array(4))
    expect(lru.keys()).toEqual(['a', 'c'])
    expect(lru.bytes).toBe(8)
  })

  it('does not keep an entry larger than the whole budget, and replacing a key frees its old size', () => {
    const lru = new ByteBudgetLru<string, number>(10, (value) => value)
    lru.set('big', 11)
    expect(lru.has('big')).toBe(false)
    lru.set('k', 6)
    lru.set('k', 3)
    expect(lru.bytes).toBe(3)
    expect(lru.delete('k')).toBe(true)
    expect(lru.bytes).toBe(0)
  })

  it('never exceeds its budget and keeps its byte count exact (model check)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.integer({ min: 0, max: 12 }), fc.boolean())), (operations) => {
        const lru = new ByteBudgetLru<string, number>(20, (value) => value)
        const order: string[] = []
        const sizes = new Map<string, number>()
        for (const [key, size, isGet] of operations) {
          if (isGet) {
            const hit = lru.get(key)
            expect(hit).toBe(sizes.get(key))
            if (hit !== undefined) moveToEnd(order, key)
            continue
          }
          lru.set(key, size)
          if (sizes.has(key)) {
            order.splice(order.indexOf(key), 1)
            sizes.delete(key)
          }
          if (size <= 20) {
            order.push(key)
            sizes.set(key, size)
          }
          let used = [...sizes.values()].reduce((a, b) => a + b, 0)
          while (used > 20) {
            const oldest = order.shift()!
            used -= sizes.get(oldest)!
            sizes.delete(oldest)
          }
          expect(lru.keys()).toEqual(order)
          expect(lru.bytes).toBe(used)
        }
      }),
    )
  })
})
