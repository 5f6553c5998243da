/**
 * A least-recently-used map bounded by total bytes rather than entry count (embeddings are 4 MiB
 * each for SAM1 and larger for other families). An entry larger than the whole budget is not kept.
 */
export class ByteBudgetLru<K, V> {
  private readonly entries = new Map<K, { readonly value: V; readonly bytes: number }>()
  private used = 0

  constructor(
    private readonly budgetBytes: number,
    private readonly sizeOf: (value: V) => number,
  ) {
    if (!(budgetBytes >= 0)) throw new Error(`byte budget must be >= 0, got ${budgetBytes}`)
  }

  get bytes(): number {
    return this.used
  }

  get size(): number {
    return this.entries.size
  }

  has(key: K): boolean {
    return this.entries.has(key)
  }

  /** Returns the value and marks it most recently used. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    this.entries.delete(key)
    this.entries.set(key, entry)
    return entry.value
  }

  set(key: K, value: V): void {
    this.delete(key)
    const bytes = this.sizeOf(value)
    if (bytes > this.budgetBytes) return
    this.entries.set(key, { value, bytes })
    this.used += bytes
    // Map iteration order is insertion order: the first key is the least recently used.
    for (const [oldest, entry] of this.entries) {
      if (this.used <= this.budgetBytes) break
      this.entries.delete(oldest)
      this.used -= entry.bytes
    }
  }

  delete(key: K): boolean {
    const entry = this.entries.get(key)
    if (!entry) return false
    this.entries.delete(key)
    this.used -= entry.bytes
    return true
  }

  clear(): void {
    this.entries.clear()
    this.used = 0
  }

  keys(): K[] {
    return [...this.entries.keys()]
  }
}
