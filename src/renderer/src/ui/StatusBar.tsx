import type { AppInfo } from '../../../common/ipc/types'

interface StatusBarProps {
  info: AppInfo | null
  error: string | null
  transport: 'electron' | 'http'
}

export function StatusBar({ info, error, transport }: StatusBarProps) {
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
  return (
    <footer className="status-bar" data-testid="status-bar" data-ready="true" role="status">
      <span data-testid="status-version">PerSAM Studio {info.version}</span>
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
