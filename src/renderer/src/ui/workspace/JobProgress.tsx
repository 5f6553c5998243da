/** Running jobs: a bar with the count, speed and time left, and a cancel button. */
import type { JobInfo } from '../../../../common/ipc/types'
import { useEditorState } from '../editorContext'
import { JobMeter } from './JobMeter'

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
  return (
    <div className="job" data-testid="job" data-job-id={job.id} data-kind={job.kind}>
      <span className="job__label" title={job.label}>
        {job.label}
      </span>
      <JobMeter job={job} testIdPrefix="job" />
    </div>
  )
}
