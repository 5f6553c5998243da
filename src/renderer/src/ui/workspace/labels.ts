/** Words and formats shown for states, statuses, methods and numbers. */
import type { AnnotationSource, AnnotationStatus, ImageState, ModelLoadState } from '../../../../common/ipc/types'
import { formatSize } from '../../../../common/util/formatSize'

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

export const MODEL_LOAD_LABELS: Record<ModelLoadState, string> = {
  unloaded: 'loads on first use',
  loading: 'loading…',
  ready: 'loaded',
  failed: 'failed to load',
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

/** A job's count and speed: bytes for downloads, items otherwise. */
export function formatJobCount(job: { kind: string; done: number; total: number }): string {
  return job.kind === 'model-install' ? `${formatSize(job.done)} / ${formatSize(job.total)}` : `${job.done} / ${job.total}`
}

export function formatJobRate(job: { kind: string; rate: number }): string {
  if (!(job.rate > 0)) return '—'
  return job.kind === 'model-install' ? `${formatSize(job.rate)}/s` : `${job.rate.toFixed(job.rate < 10 ? 1 : 0)}/s`
}
