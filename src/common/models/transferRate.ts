/**
 * Download speed and ETA over a sliding window: a long download's rate follows the network as it
 * is now, not the average since the start (which a stall or a resumed prefix would distort).
 * Times are passed in (milliseconds), so the arithmetic is deterministic and testable.
 */
export class TransferRate {
  private readonly samples: { time: number; bytes: number }[] = []

  constructor(private readonly windowMs = 5_000) {}

  /** Records the cumulative byte count at a time; counts must not go down between resets. */
  record(timeMs: number, bytes: number): void {
    const last = this.samples.at(-1)
    if (last && bytes < last.bytes) this.samples.length = 0
    this.samples.push({ time: timeMs, bytes })
    // Keep one sample at or before the window's start so the window is always covered.
    while (this.samples.length > 2 && this.samples[1]!.time <= timeMs - this.windowMs) this.samples.shift()
  }

  /** Bytes per second over the window; 0 until two samples span some time. */
  bytesPerSecond(): number {
    const first = this.samples[0]
    const last = this.samples.at(-1)
    if (!first || !last || last.time <= first.time) return 0
    return ((last.bytes - first.bytes) * 1000) / (last.time - first.time)
  }

  /** Seconds left for `remainingBytes` at the current rate; null while the rate is unknown. */
  etaSeconds(remainingBytes: number): number | null {
    if (remainingBytes <= 0) return 0
    const rate = this.bytesPerSecond()
    return rate > 0 ? remainingBytes / rate : null
  }
}
