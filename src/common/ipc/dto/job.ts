/** Background jobs (propagation, import, export, model downloads) and their reports. */

export const JOB_KINDS = ['propagation', 'import', 'export', 'model-install'] as const
export type JobKind = (typeof JOB_KINDS)[number]

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled'

export interface JobInfo {
  readonly id: string
  readonly kind: JobKind
  readonly state: JobState
  /** Increases with every report of this job, so out-of-order deliveries can be ignored. */
  readonly revision: number
  readonly label: string
  readonly done: number
  readonly total: number
  /** Items (images, annotations, bytes) per second over the recent window. */
  readonly rate: number
  readonly etaSeconds: number | null
  readonly startedAt: string
  readonly finishedAt: string | null
  readonly error: { readonly code: string; readonly message: string } | null
  /** Kind-specific report once finished (PropagationReport, ImportReport, ExportReport). */
  readonly report: Readonly<Record<string, unknown>> | null
}

export interface ReportLine {
  /** A file, a JSON path inside an imported file, or an image name. */
  readonly where: string
  readonly message: string
}

export interface ImportReport {
  readonly imported: { readonly images: number; readonly annotations: number; readonly categories: number }
  readonly skipped: readonly ReportLine[]
  readonly duplicates: readonly ReportLine[]
}

/** What exchange:export (and the CLI's export) can write. */
export const EXPORT_FORMATS = ['coco', 'perseg', 'png', 'davis', 'youtube-vis'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export interface ExportReport {
  readonly path: string
  readonly images: number
  readonly annotations: number
  readonly warnings: readonly ReportLine[]
}

export interface PropagationReport {
  readonly images: number
  readonly proposals: number
  readonly absent: number
  readonly failed: readonly ReportLine[]
  readonly secondsPerImage: number
}
