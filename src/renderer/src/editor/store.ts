/**
 * A tiny observable store: one immutable state value, replaced by `update`, listeners told
 * synchronously after each change (or once at the end of a `batch`). React reads it through
 * useSyncExternalStore, the canvas subscribes directly; neither owns a copy of the state.
 */
export type Listener<S> = (state: S, previous: S) => void

export class Store<S> {
  private state: S
  private readonly listeners = new Set<Listener<S>>()
  private batchDepth = 0
  private stateBeforeBatch: S | null = null

  constructor(initial: S) {
    this.state = initial
  }

  get = (): S => this.state

  update(change: (state: S) => S): void {
    const next = change(this.state)
    if (next === this.state) return
    const previous = this.state
    this.state = next
    if (this.batchDepth > 0) {
      this.stateBeforeBatch ??= previous
      return
    }
    this.emit(previous)
  }

  /** Runs `fn` and tells listeners once, with the state before the batch as `previous`. */
  batch<T>(fn: () => T): T {
    this.batchDepth++
    try {
      return fn()
    } finally {
      this.batchDepth--
      if (this.batchDepth === 0 && this.stateBeforeBatch !== null) {
        const previous = this.stateBeforeBatch
        this.stateBeforeBatch = null
        if (previous !== this.state) this.emit(previous)
      }
    }
  }

  subscribe = (listener: Listener<S>): (() => void) => {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  private emit(previous: S): void {
    for (const listener of [...this.listeners]) listener(this.state, previous)
  }
}
