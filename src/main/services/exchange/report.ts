/**
 * Import and export reports (the contract's ImportReport/ExportReport): what was done, and every
 * file or JSON path that was skipped, with why. Lists are capped so a folder of 100,000 unwanted
 * files cannot make a report of 100,000 lines; the last line then says how many were left out.
 */
import type { ImportReport, ReportLine } from '../../../common/ipc/types'

export const REPORT_LINE_LIMIT = 1000

export class ReportLines {
  private readonly lines: ReportLine[] = []
  private omitted = 0

  constructor(private readonly limit = REPORT_LINE_LIMIT) {}

  add(where: string, message: string): void {
    if (this.lines.length < this.limit) this.lines.push({ where, message })
    else this.omitted++
  }

  get count(): number {
    return this.lines.length + this.omitted
  }

  toArray(): ReportLine[] {
    return this.omitted === 0 ? [...this.lines] : [...this.lines, { where: '…', message: `${this.omitted} more not listed` }]
  }
}

export interface ImportTally {
  images: number
  annotations: number
  categories: number
}

export function importReport(tally: ImportTally, skipped: ReportLines, duplicates: ReportLines): ImportReport {
  return { imported: { ...tally }, skipped: skipped.toArray(), duplicates: duplicates.toArray() }
}

/** Progress callbacks: a phase name and counts, called often; keep the handler cheap. */
export type ProgressListener = (progress: { readonly phase: string; readonly done: number; readonly total: number }) => void
