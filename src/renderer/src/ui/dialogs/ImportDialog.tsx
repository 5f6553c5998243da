/**
 * Import into the open project: a COCO file (polygons or RLE), a PerSeg or DAVIS folder, more
 * images, or a video or frame folder as one sequence (SequenceImportForm).
 * The import runs as a background job; the dialog follows it (progress for big files) and shows
 * the importer's exact complaint, JSON path included, when a file is refused.
 */
import { useState } from 'react'
import type { ImportReport } from '../../../../common/ipc/types'
import { describeError } from '../../editor/api'
import { useEditor, useEditorState } from '../editorContext'
import { PathField } from '../PathField'
import { Modal } from './Modal'
import { SequenceImportForm } from './SequenceImportForm'

type Format = 'coco' | 'perseg' | 'davis' | 'folder' | 'video' | 'frames'

const FORMATS: readonly { value: Format; label: string; kind: 'open-file' | 'folder' }[] = [
  { value: 'coco', label: 'COCO annotations (JSON: polygons or RLE)', kind: 'open-file' },
  { value: 'perseg', label: 'PerSeg folder (Images/<object>/, Annotations/<object>/)', kind: 'folder' },
  { value: 'davis', label: 'DAVIS folder (JPEGImages/480p/<sequence>/, Annotations/480p/<sequence>/)', kind: 'folder' },
  { value: 'folder', label: 'More images from a folder', kind: 'folder' },
  { value: 'video', label: 'Video… (mp4, mov, webm, mkv) as a frame sequence', kind: 'open-file' },
  { value: 'frames', label: 'Frame folder… as a sequence, in file-name order', kind: 'folder' },
]

export function ImportDialog({ onClose }: { onClose: () => void }) {
  const editor = useEditor()
  const [format, setFormat] = useState<Format>('coco')
  const [path, setPath] = useState('')
  const [jobId, setJobId] = useState<string | null>(null)
  const [startError, setStartError] = useState<string | null>(null)
  const job = useEditorState((s) => s.session.jobs.find((j) => j.id === jobId) ?? null)
  const running = job !== null && (job.state === 'running' || job.state === 'queued')
  const report = job?.state === 'done' ? (job.report as ImportReport | null) : null
  const kind = FORMATS.find((f) => f.value === format)!.kind

  const start = async () => {
    if (format === 'video' || format === 'frames') return
    setStartError(null)
    try {
      const started = await editor.api.call('exchange:import', { format, path: path.trim() })
      setJobId(started.id)
      editor.jobs.track(started)
    } catch (error) {
      setStartError(describeError(error))
    }
  }

  const formatChoice = (
    <fieldset className="field">
      <legend>What</legend>
      {FORMATS.map((f) => (
        <label key={f.value}>
          <input type="radio" name="import-format" checked={format === f.value} onChange={() => setFormat(f.value)} data-testid={`import-format-${f.value}`} /> {f.label}
        </label>
      ))}
    </fieldset>
  )

  return (
    <Modal title="Import" onClose={onClose} testId="import-dialog">
      {format === 'video' || format === 'frames' ? (
        <div className="stack">
          {formatChoice}
          <SequenceImportForm key={format} source={format} onClose={onClose} />
        </div>
      ) : (
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault()
          if (path.trim() && !running) void start()
        }}
      >
        {formatChoice}
        <label className="field">
          <span>{kind === 'folder' ? 'Folder' : 'File'}</span>
          <PathField key={kind} kind={kind} title="Import from" value={path} onChange={setPath} fileExtensions={['.json']} testId="import-path" />
        </label>
        {format === 'coco' ? <p className="muted small">Images are matched by file_name; images not yet in the project are added from its images folder.</p> : null}
        {running ? (
          <p data-testid="import-progress" data-done={job.done} data-total={job.total}>
            Importing… {job.total > 0 ? `${Math.round((100 * job.done) / job.total)}%` : ''}
            <progress max={Math.max(job.total, 1)} value={job.done} />
          </p>
        ) : null}
        {startError || job?.state === 'failed' ? (
          <p className="error-text" data-testid="import-error">
            {startError ?? job?.error?.message ?? 'The import failed.'}
          </p>
        ) : null}
        {report ? (
          <div className="summary" data-testid="import-summary">
            <p>
              Imported <strong>{report.imported.annotations}</strong> annotations, <strong>{report.imported.images}</strong> new images and{' '}
              <strong>{report.imported.categories}</strong> new categories.
            </p>
            {report.skipped.length > 0 ? (
              <ul className="warnings">
                {report.skipped.slice(0, 20).map((line, index) => (
                  <li key={index}>
                    <code>{line.where}</code>: {line.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        <div className="row end">
          <button type="button" onClick={onClose}>
            {report ? 'Done' : 'Close'}
          </button>
          <button type="submit" className="primary" disabled={running || !path.trim()} data-testid="import-start">
            Import
          </button>
        </div>
      </form>
      )}
    </Modal>
  )
}
