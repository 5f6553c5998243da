/** Growable typed-array helpers for the hot loops (no per-element push). */

/** A copy of `array` with room for at least `needed` elements (capacity doubles). */
export function growUint32(array: Uint32Array, needed: number): Uint32Array {
  const grown = new Uint32Array(Math.max(needed, array.length * 2, 16))
  grown.set(array)
  return grown
}

/** Appends to a Uint32Array, growing it when full; read `values.subarray(0, length)`. */
export class Uint32List {
  values: Uint32Array = new Uint32Array(64)
  length = 0

  push(value: number): void {
    if (this.length === this.values.length) this.values = growUint32(this.values, this.length + 1)
    this.values[this.length++] = value
  }

  /** The filled part, as a view (valid until the next push). */
  view(): Uint32Array {
    return this.values.subarray(0, this.length)
  }
}
