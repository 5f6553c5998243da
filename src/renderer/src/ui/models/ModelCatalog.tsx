/** Models to download (the catalog), downloads in progress or ended, and importing local model files. */
import { useState } from 'react'
import type { CatalogModel, JobInfo } from '../../../../common/ipc/types'
import { useEditor, useEditorState } from '../editorContext'
import { PathField } from '../PathField'
import { JobMeter } from '../workspace/JobMeter'
import { formatSize } from '../../../../common/util/formatSize'
import { ActionStatus } from './ActionStatus'

export function ModelCatalog() {
  const catalog = useEditorState((s) => s.doc.core.catalog)
  return (
    <section className="models__section" data-testid="model-catalog">
      <h3>Download</h3>
      {catalog === null ? <p className="muted small">The catalog could not be read.</p> : null}
      {catalog?.length === 0 ? (
        <p className="muted small" data-testid="catalog-empty">
          No downloadable models are listed in this build yet. Import model files you already have, below.
        </p>
      ) : null}
      <ul className="plain-list models__list">
        {catalog?.map((entry) => (
          <CatalogRow key={entry.id} entry={entry} />
        ))}
      </ul>
      <Downloads />
    </section>
  )
}

function CatalogRow({ entry }: { entry: CatalogModel }) {
  const editor = useEditor()
  const pending = useEditorState((s) => s.session.modelActions[`install:${entry.id}`]?.pending ?? false)
  const download = useEditorState((s) => s.session.jobs.find((j) => j.id === s.session.modelDownloads[entry.id]) ?? null)
  const downloading = download !== null && (download.state === 'running' || download.state === 'queued')
  return (
    <li className="model-row" data-testid="catalog-model" data-model-id={entry.id}>
      <div className="model-row__main">
        <span className="model-row__name" data-testid="model-name">
          {entry.name}
        </span>
        {entry.verified ? (
          <span className="badge badge--accepted" title="The downloaded files are compared with the publisher's fingerprints before the model is used.">
            checked download
          </span>
        ) : (
          <span className="badge badge--to-review" title="The publisher gives no fingerprints: only the file sizes are checked.">
            size checked only
          </span>
        )}
        <span className="muted small">
          <code data-testid="model-id">{entry.id}</code> · download <span data-testid="model-size">{formatSize(entry.downloadBytes)}</span>
        </span>
        <ModelDetails licence={entry.licence} notes={entry.notes} />
      </div>
      <div className="row">
        {entry.installed ? (
          <span className="done-text small">installed</span>
        ) : (
          <button type="button" className="small" disabled={pending || downloading} onClick={() => void editor.models.install(entry.id)} data-testid="model-install">
            {downloading ? 'Downloading…' : 'Download'}
          </button>
        )}
      </div>
      <ActionStatus actionKey={`install:${entry.id}`} />
    </li>
  )
}

/** Licence and technical notes, folded away: they are for whoever set the studio up. */
export function ModelDetails({ licence, notes }: { licence: string; notes?: string }) {
  return (
    <details className="small muted model-row__notes">
      <summary>Licence and technical details</summary>
      <p>Licence: {licence}</p>
      {notes ? <p>{notes}</p> : null}
    </details>
  )
}

/** Every model download the studio reports (also those started before this window opened). */
function Downloads() {
  const jobs = useEditorState((s) => s.session.jobs)
  const downloads = jobs.filter((j) => j.kind === 'model-install')
  if (downloads.length === 0) return null
  return (
    <ul className="plain-list models__list" data-testid="downloads">
      {downloads.map((job) => (
        <DownloadRow key={job.id} job={job} />
      ))}
    </ul>
  )
}

function DownloadRow({ job }: { job: JobInfo }) {
  const running = job.state === 'running' || job.state === 'queued'
  return (
    <li className="download" data-testid="download" data-job-id={job.id} data-state={job.state}>
      <span className="download__label">{job.label}</span>
      {running ? (
        <JobMeter job={job} testIdPrefix="download" />
      ) : (
        <span className={job.state === 'failed' ? 'error-text small' : job.state === 'done' ? 'done-text small' : 'muted small'} data-testid="download-outcome">
          {job.state === 'done' ? 'Installed.' : job.state === 'cancelled' ? 'Cancelled; nothing was installed.' : `Failed: ${job.error?.message ?? 'no reason given'}`}
        </span>
      )}
    </li>
  )
}

export function ModelImport() {
  const editor = useEditor()
  const pending = useEditorState((s) => s.session.modelActions.import?.pending ?? false)
  const [path, setPath] = useState('')
  return (
    <section className="models__section" data-testid="model-import">
      <h3>Import</h3>
      <p className="muted small">A folder with a SAM-family encoder and decoder (.onnx); the studio checks their inputs and outputs before adding it.</p>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault()
          if (path.trim()) void editor.models.importModel(path.trim())
        }}
      >
        <PathField kind="folder" title="Model folder to import" value={path} onChange={setPath} placeholder="/path/to/model-folder" testId="model-import-path" />
        <button type="submit" disabled={pending || !path.trim()} data-testid="model-import-submit">
          {pending ? 'Importing…' : 'Import'}
        </button>
      </form>
      <ActionStatus actionKey="import" />
    </section>
  )
}
