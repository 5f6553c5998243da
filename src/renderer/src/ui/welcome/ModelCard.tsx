/**
 * The model and execution provider in use, and a clear prompt when only the toy model is
 * installed; downloads, imports and the provider choice are in the models panel it opens.
 */
import { useEditor, useEditorState } from '../editorContext'
import { MODEL_LOAD_LABELS } from '../workspace/labels'


export function ModelCard() {
  const editor = useEditor()
  const model = useEditorState((s) => s.doc.core.model)
  const installed = useEditorState((s) => s.doc.core.installedModels)
  const providers = useEditorState((s) => s.doc.core.providers)

  const active = installed?.find((m) => m.id === model?.activeModelId) ?? null
  const onlyToy = installed !== null && installed.length > 0 && installed.every((m) => m.isToy)
  const usable = providers?.filter((p) => p.available).map((p) => p.name) ?? []

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
          <dd>{MODEL_LOAD_LABELS[model.loadState]}</dd>
          <dt>Provider</dt>
          <dd data-testid="model-provider">
            {model.activeProvider ?? (model.requestedProvider === 'auto' ? 'automatic' : model.requestedProvider)}
            {usable.length > 0 ? <span className="muted small"> (usable here: {usable.join(', ')})</span> : null}
          </dd>
        </dl>
      )}
      {model?.error ? <p className="error-text">{model.error}</p> : null}
      {onlyToy ? (
        <div className="callout" data-testid="toy-model-warning">
          <strong>Only the bundled toy model is installed.</strong> It runs real inference so you can try every step, but its masks are rough.
          Download a real SAM model, or import one you already have, in the models panel.
        </div>
      ) : null}
      <div className="row">
        <button type="button" onClick={() => editor.openDialog('models')} data-testid="welcome-manage-models">
          Manage models…
        </button>
      </div>
    </section>
  )
}
