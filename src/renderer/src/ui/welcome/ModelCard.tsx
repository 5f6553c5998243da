/** The model and execution provider in use, and a clear prompt when only the toy model is installed. */
import { useState } from 'react'
import { useEditor, useEditorState } from '../editorContext'
import { PathField } from '../PathField'

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1_000_000)} MB`
}

export function ModelCard() {
  const editor = useEditor()
  const model = useEditorState((s) => s.doc.core.model)
  const installed = useEditorState((s) => s.doc.core.installedModels)
  const catalog = useEditorState((s) => s.doc.core.catalog)
  const providers = useEditorState((s) => s.doc.core.providers)
  const [modelPath, setModelPath] = useState('')

  const active = installed?.find((m) => m.id === model?.activeModelId) ?? null
  const onlyToy = installed !== null && installed.length > 0 && installed.every((m) => m.isToy)
  const failedAttempts = model?.attempts.filter((a) => !a.ok) ?? []

  return (
    <section className="card" data-testid="model-card">
      <h2>Model</h2>
      {model === null ? (
        <p className="muted">The model state is not available.</p>
      ) : (
        <dl className="facts">
          <dt>In use</dt>
          <dd data-testid="model-name">{active ? active.name : (model.activeModelId ?? 'none')}</dd>
          <dt>State</dt>
          <dd>{model.loadState}</dd>
          <dt>Provider</dt>
          <dd data-testid="model-provider">
            {model.activeProvider ?? '—'} <span className="muted">(asked: {model.requestedProvider})</span>
          </dd>
        </dl>
      )}
      {model?.error ? <p className="error-text">{model.error}</p> : null}
      {failedAttempts.map((attempt) => (
        <p key={attempt.provider} className="muted small">
          {attempt.provider} was not usable: {attempt.error}
        </p>
      ))}
      {providers ? (
        <p className="muted small">
          Providers here: {providers.map((p) => (p.available ? p.name : `${p.name} (${p.reason ?? 'unavailable'})`)).join(', ')}
        </p>
      ) : null}
      {onlyToy ? (
        <div className="callout" data-testid="toy-model-warning">
          <strong>Only the bundled toy model is installed.</strong> It runs real inference so you can try every step, but its
          masks are rough. Install a real SAM model below, or import one you downloaded.
        </div>
      ) : null}
      {catalog && catalog.some((m) => !m.installed) ? (
        <ul className="plain-list">
          {catalog
            .filter((m) => !m.installed)
            .map((entry) => (
              <li key={entry.id} className="row">
                <span>
                  {entry.name} <span className="muted small">{megabytes(entry.downloadBytes)} · {entry.licence}</span>
                </span>
                <button type="button" onClick={() => void editor.models.install(entry.id)} data-testid={`install-${entry.id}`}>
                  Install
                </button>
              </li>
            ))}
        </ul>
      ) : null}
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault()
          if (modelPath.trim()) void editor.models.importFile(modelPath.trim())
        }}
      >
        <PathField kind="open-file" title="Model file to import" value={modelPath} onChange={setModelPath} placeholder="/path/to/model.onnx" testId="model-import-path" />
        <button type="submit" disabled={!modelPath.trim()}>
          Import
        </button>
      </form>
    </section>
  )
}
