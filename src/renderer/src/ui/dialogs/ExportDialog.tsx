/** Export: COCO (RLE or polygons), PerSeg folders, PNG masks, DAVIS or YouTube-VIS (sequences), which statuses; then the result summary. */
import { useState } from 'react'
import { ANNOTATION_STATUSES, type AnnotationStatus, type ExportReport } from '../../../../common/ipc/types'
import type { ExportRequest } from '../../editor/managers/JobsController'
import { useEditor, useEditorState } from '../editorContext'
import { PathField } from '../PathField'
import { STATUS_LABELS } from '../workspace/labels'
import { Modal } from './Modal'

type Format = ExportRequest['format']

const FORMATS: readonly { value: Format; label: string; pathKind: 'save-file' | 'folder' }[] = [
  { value: 'coco', label: 'COCO instance segmentation (JSON)', pathKind: 'save-file' },
  { value: 'perseg', label: 'PerSeg folders (images + masks per category)', pathKind: 'folder' },
  { value: 'png', label: 'PNG masks', pathKind: 'folder' },
  { value: 'davis', label: 'DAVIS folders (sequences: frames + palette PNG masks)', pathKind: 'folder' },
  { value: 'youtube-vis', label: 'YouTube-VIS JSON (frame sequences: one track per object)', pathKind: 'save-file' },
]

/** Where an export goes by default: a .json file for the JSON formats, a folder otherwise. */
const defaultTarget = (projectDir: string, format: Format): string =>
  format === 'coco' ? `${projectDir}/export/annotations.json` : format === 'youtube-vis' ? `${projectDir}/export/youtube-vis.json` : `${projectDir}/export/${format}`

export function ExportDialog({ onClose }: { onClose: () => void }) {
  const editor = useEditor()
  const project = useEditorState((s) => s.doc.project)
  const jobId = useEditorState((s) => s.session.exportJobId)
  const job = useEditorState((s) => s.session.jobs.find((j) => j.id === s.session.exportJobId) ?? null)
  const [format, setFormat] = useState<Format>('coco')
  const [path, setPath] = useState(project ? `${project.projectDir}/export/annotations.json` : '')
  const [statuses, setStatuses] = useState<AnnotationStatus[]>(['accepted', 'edited'])
  const [segmentation, setSegmentation] = useState<'rle' | 'polygons'>('rle')
  const [pngMode, setPngMode] = useState<'instance' | 'semantic'>('instance')
  const kind = FORMATS.find((f) => f.value === format)?.pathKind ?? 'folder'

  const toggle = (status: AnnotationStatus) =>
    setStatuses((current) => (current.includes(status) ? current.filter((s) => s !== status) : [...current, status]))

  const running = job !== null && (job.state === 'running' || job.state === 'queued')
  const report = job?.state === 'done' ? (job.report as ExportReport | null) : null
  const close = () => {
    editor.updateSession({ exportJobId: null })
    onClose()
  }

  return (
    <Modal title="Export" onClose={close} testId="export-dialog">
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault()
          const [first, ...rest] = statuses
          if (!first || !path.trim()) return
          void editor.jobs.startExport({ format, path: path.trim(), statuses: [first, ...rest], cocoSegmentation: segmentation, pngMode })
        }}
      >
        <fieldset className="field">
          <legend>Format</legend>
          {FORMATS.map((f) => (
            <label key={f.value}>
              <input
                type="radio"
                name="format"
                checked={format === f.value}
                onChange={() => {
                  setFormat(f.value)
                  if (project) setPath(defaultTarget(project.projectDir, f.value))
                }}
                data-testid={`export-format-${f.value}`}
              />{' '}
              {f.label}
            </label>
          ))}
        </fieldset>
        {format === 'coco' ? (
          <fieldset className="field">
            <legend>Masks as</legend>
            <label>
              <input type="radio" name="segmentation" checked={segmentation === 'rle'} onChange={() => setSegmentation('rle')} data-testid="export-rle" /> compressed RLE
              <span className="muted small"> (lossless, keeps holes)</span>
            </label>
            <label>
              <input type="radio" name="segmentation" checked={segmentation === 'polygons'} onChange={() => setSegmentation('polygons')} data-testid="export-polygons" /> polygons
            </label>
          </fieldset>
        ) : null}
        {format === 'png' ? (
          <label className="field">
            <span>PNG masks</span>
            <select value={pngMode} onChange={(event) => setPngMode(event.target.value as 'instance' | 'semantic')}>
              <option value="instance">one file per instance</option>
              <option value="semantic">one file per image, pixel = category</option>
            </select>
          </label>
        ) : null}
        <fieldset className="field">
          <legend>Annotations with status</legend>
          <div className="row wrap">
            {ANNOTATION_STATUSES.map((status) => (
              <label key={status}>
                <input type="checkbox" checked={statuses.includes(status)} onChange={() => toggle(status)} data-testid={`export-status-${status}`} /> {STATUS_LABELS[status]}
              </label>
            ))}
          </div>
        </fieldset>
        <label className="field">
          <span>{kind === 'folder' ? 'Folder' : 'File'}</span>
          <PathField kind={kind} title="Export to" value={path} onChange={setPath} defaultName={format === 'coco' ? 'annotations.json' : format === 'youtube-vis' ? 'youtube-vis.json' : undefined} testId="export-path" />
        </label>
        {running ? (
          <p data-testid="export-progress">
            Exporting… {job.done} / {job.total}
          </p>
        ) : null}
        {job?.state === 'failed' ? <p className="error-text">{job.error?.message ?? 'The export failed.'}</p> : null}
        {report ? (
          <div className="summary" data-testid="export-summary">
            <p>
              Exported <strong>{report.annotations}</strong> annotations from <strong>{report.images}</strong> images to <code>{report.path}</code>.
            </p>
            {report.warnings.length > 0 ? (
              <ul className="warnings">
                {report.warnings.map((w, index) => (
                  <li key={index}>
                    <code>{w.where}</code>: {w.message}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted small">No warnings.</p>
            )}
          </div>
        ) : null}
        <div className="row end">
          <button type="button" onClick={close}>
            {report ? 'Done' : 'Cancel'}
          </button>
          <button type="submit" className="primary" disabled={running || statuses.length === 0 || !path.trim()} data-testid="export-start">
            {jobId && !running ? 'Export again' : 'Export'}
          </button>
        </div>
      </form>
    </Modal>
  )
}
