/**
 * A terminal progress bar for long CLI work: redraws one line on a TTY, and prints a line every
 * 10% otherwise (CI logs), so output stays readable in both.
 */
export interface ProgressBar {
  update(done: number, total: number, detail?: string): void
  finish(message?: string): void
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--'
  const s = Math.round(seconds)
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`
}

export function createProgressBar(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  const started = performance.now()
  let lastDecile = -1
  const width = 28
  return {
    update(done, total, detail) {
      const fraction = total > 0 ? Math.min(1, done / total) : 0
      const elapsed = (performance.now() - started) / 1000
      const rate = elapsed > 0 ? done / elapsed : 0
      const eta = rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY
      const text = `${label} ${done}/${total} ${(fraction * 100).toFixed(0)}% ${rate.toFixed(1)}/s eta ${formatDuration(eta)}${detail ? ` ${detail}` : ''}`
      if (stream.isTTY) {
        const filled = Math.round(fraction * width)
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}\x1b[K`)
      } else {
        const decile = Math.floor(fraction * 10)
        if (decile !== lastDecile) {
          lastDecile = decile
          stream.write(`${text}\n`)
        }
      }
    },
    finish(message) {
      if (stream.isTTY) stream.write('\n')
      if (message) stream.write(`${message}\n`)
    },
  }
}
