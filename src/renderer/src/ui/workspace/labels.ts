/** Words and formats shown for states, statuses, methods and numbers. */
import type { AnnotationSource, AnnotationStatus, ImageState } from '../../../../common/ipc/types'

export const IMAGE_STATE_LABELS: Record<ImageState, string> = {
  unlabeled: 'Unlabeled',
  'to-review': 'To review',
  reviewed: 'Reviewed',
  absent: 'Absent',
}

export const STATUS_LABELS: Record<AnnotationStatus, string> = {
  proposed: 'Proposed',
  accepted: 'Accepted',
  rejected: 'Rejected',
  edited: 'Edited',
  absent: 'Absent',
}

export const SOURCE_LABELS: Record<AnnotationSource, string> = {
  manual: 'Manual (SAM)',
  persam: 'PerSAM',
  'persam-f': 'PerSAM-F',
}

export function formatScore(score: number | null): string {
  return score === null ? '—' : score.toFixed(2)
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—'
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min ${s % 60} s`
  return `${Math.floor(m / 60)} h ${m % 60} min`
}
