/** The bottom bar: the studio version and runtime, the model and provider in use, job progress. */
import { useEditor, useEditorState } from './editorContext'
import { formatJobCount } from './workspace/labels'

export function StatusBar({ transport }: { transport: 'electron' | 'http' }) {
  const editor = useEditor()
  const info = useEditorState((s) => s.doc.core.app)
  const error = useEditorState((s) => s.doc.core.appError)
  const model = useEditorState((s) => s.doc.core.model)
  const installed = useEditorState((s) => s.doc.core.installedModels)
  const jobs = useEditorState((s) => s.session.jobs)

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
  const providers = info.onnxruntime.executionProviders
  const available = providers.filter((p) => p.bundled).map((p) => p.name)
  const installable = providers.filter((p) => !p.bundled).map((p) => p.name)
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
      <span data-testid="status-providers" title={installable.length ? `not installed: ${installable.join(', ')}` : undefined}>
        providers: {available.join(', ')}
      </span>
      <span className="status-bar__right" data-testid="status-host">
        {transport === 'electron' ? 'desktop' : 'browser mode'}
      </span>
    </footer>
  )
}
