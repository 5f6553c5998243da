/** A running job's bar, count, speed, time left and cancel button (jobs strip, downloads). */
import type { JobInfo } from '../../../../common/ipc/types'
import { useEditor } from '../editorContext'
import { formatDuration, formatJobCount, formatJobRate } from './labels'

/** `testIdPrefix` names the parts for tests: `<prefix>-count`, `<prefix>-rate`, `<prefix>-cancel`. */
export function JobMeter({ job, testIdPrefix }: { job: JobInfo; testIdPrefix: string }) {
  const editor = useEditor()
  const fraction = job.total > 0 ? Math.min(1, job.done / job.total) : 0
  return (
    <>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={job.total} aria-valuenow={job.done}>
        <div className="progress__bar" style={{ width: `${fraction * 100}%` }} />
      </div>
      <span className="small" data-testid={`${testIdPrefix}-count`}>
        {formatJobCount(job)}
      </span>
      <span className="muted small" data-testid={`${testIdPrefix}-rate`}>
        {formatJobRate(job)}
      </span>
      <span className="muted small">ETA {formatDuration(job.etaSeconds)}</span>
      <button type="button" className="small" onClick={() => void editor.jobs.cancel(job.id)} data-testid={`${testIdPrefix}-cancel`}>
        Cancel
      </button>
    </>
  )
}
