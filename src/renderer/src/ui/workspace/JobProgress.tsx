/** Running jobs: a bar with the count, speed and time left, and a cancel button. */
import type { JobInfo } from '../../../../common/ipc/types'
import { useEditor, useEditorState } from '../editorContext'
import { formatDuration, formatJobCount, formatJobRate } from './labels'

export function JobProgress() {
  const jobs = useEditorState((s) => s.session.jobs)
  const running = jobs.filter((job) => job.state === 'running' || job.state === 'queued')
  if (running.length === 0) return null
  return (
    <div className="jobs" data-testid="jobs">
      {running.map((job) => (
        <JobRow key={job.id} job={job} />
      ))}
    </div>
  )
}

function JobRow({ job }: { job: JobInfo }) {
  const editor = useEditor()
  const fraction = job.total > 0 ? Math.min(1, job.done / job.total) : 0
  return (
    <div className="job" data-testid="job" data-job-id={job.id} data-kind={job.kind}>
      <span className="job__label" title={job.label}>
        {job.label}
      </span>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={job.total} aria-valuenow={job.done}>
        <div className="progress__bar" style={{ width: `${fraction * 100}%` }} />
      </div>
      <span className="small" data-testid="job-count">
        {formatJobCount(job)}
      </span>
      <span className="muted small" data-testid="job-rate">
        {formatJobRate(job)}
      </span>
      <span className="muted small">ETA {formatDuration(job.etaSeconds)}</span>
      <button type="button" className="small" onClick={() => void editor.jobs.cancel(job.id)} data-testid="job-cancel">
        Cancel
      </button>
    </div>
  )
}
