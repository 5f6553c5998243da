/**
 * One way to write a size in bytes, for the CLI and the studio alike: binary multiples (1 MB =
 * 1024 x 1024 bytes, as file managers on Windows count them), one decimal for megabytes, whole kilobytes below, so
 * `persam-studio models list` and the models panel print the same figure for the same file.
 */
const KB = 1024
const MB = KB * 1024
const GB = MB * 1024

export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—'
  if (bytes >= GB) return `${(bytes / GB).toFixed(2)} GB`
  if (bytes >= MB) return `${(bytes / MB).toFixed(1)} MB`
  if (bytes >= KB) return `${Math.round(bytes / KB)} KB`
  return `${Math.round(bytes)} B`
}
