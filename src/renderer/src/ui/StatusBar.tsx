/** The bottom bar: the studio version and runtime, the model and provider in use, job progress. */
import { useEditor, useEditorState } from './editorContext'
import { availableProviders, PROVIDER_NAMES } from './models/providerNames'
import { formatJobCount } from './workspace/labels'

export function StatusBar({ transport }: { transport: 'electron' | 'http' }) {
  const editor = useEditor()
  const info = useEditorState((s) => s.doc.core.app)
  const error = useEditorState((s) => s.doc.core.appError)
  const model = useEditorState((s) => s.doc.core.model)
  const installed = useEditorState((s) => s.doc.core.installedModels)
  const jobs = useEditorState((s) => s.session.jobs)
  // The models panel's list (model:providers), so both say the same.
  const providerAvailability = useEditorState((s) => s.doc.core.providers)

  if (error) {
    return (
      <footer className="status-bar status-bar--error" data-testid="status-bar" data-ready="false" role="status">
        Cannot reach the studio core: {error}
      </footer>
    )
  }
  if (!info) {
    return (
      <footer className="status-bar" data-testid="status-bar" data-ready="false" role="status">
        Connecting…
      </footer>
    )
  }
  const available = availableProviders(providerAvailability)
  const unavailable = (providerAvailability ?? []).filter((p) => !p.available).map((p) => `${PROVIDER_NAMES[p.name]}: ${p.reason ?? 'unavailable'}`)
  const activeModel = installed?.find((m) => m.id === model?.activeModelId)
  const running = jobs.filter((j) => j.state === 'running' || j.state === 'queued')
  return (
    <footer className="status-bar" data-testid="status-bar" data-ready="true" role="status">
      <span data-testid="status-version">PerSAM Studio {info.version}</span>
      <button type="button" className="status-bar__button" onClick={() => editor.openDialog('models')} title={model?.error ?? 'Models and execution providers (M)'}>
        <span data-testid="status-model">
          model: {activeModel ? `${activeModel.name}${activeModel.isToy ? ' (toy)' : ''}` : (model?.activeModelId ?? 'none')}
          {model && model.loadState !== 'ready' ? ` · ${model.loadState}` : ''}
        </span>
        <span data-testid="status-provider">provider: {model?.activeProvider ?? model?.requestedProvider ?? '—'}</span>
      </button>
      {running.map((job) => (
        <span key={job.id} data-testid="status-job">
          {job.label}: {formatJobCount(job)}
        </span>
      ))}
      <span data-testid="status-platform">
        {info.platform} {info.arch}
        {info.electronVersion ? ` · Electron ${info.electronVersion}` : ` · Node ${info.nodeVersion}`}
      </span>
      <span data-testid="status-onnxruntime">onnxruntime-node {info.onnxruntime.version}</span>
      <span data-testid="status-providers" title={unavailable.length ? unavailable.join('\n') : undefined}>
        runs on: {available.length ? available.map((name) => PROVIDER_NAMES[name]).join(', ') : '—'}
      </span>
      <span className="status-bar__right" data-testid="status-host">
        {transport === 'electron' ? 'desktop' : 'browser mode'}
      </span>
    </footer>
  )
}
