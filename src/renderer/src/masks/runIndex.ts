/**
 * Point-in-mask on COCO runs without decoding the mask: the run ends (prefix sums of the
 * counts) are searched for the column-major index x * height + y. One decoded index per
 * annotation is kept and rebuilt only when the annotation's RLE string changes.
 */
export class RunIndex {
  private readonly ends: Float64Array

  constructor(
    counts: ArrayLike<number>,
    readonly height: number,
    readonly width: number,
  ) {
    this.ends = new Float64Array(counts.length)
    let sum = 0
    for (let i = 0; i < counts.length; i++) {
      sum += counts[i]!
      this.ends[i] = sum
    }
  }

  contains(x: number, y: number): boolean {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return false
    const target = x * this.height + y
    // The first run whose end lies past the target holds it; odd runs are foreground.
    let low = 0
    let high = this.ends.length - 1
    while (low < high) {
      const mid = (low + high) >>> 1
      if (this.ends[mid]! > target) high = mid
      else low = mid + 1
    }
    return low % 2 === 1 && this.ends[low]! > target
  }
}
