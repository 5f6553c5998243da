import { useEffect, useState } from 'react'
import type { AppInfo } from '../../../common/ipc/types'
import type { StudioClient } from '../services/studioClient'
import { StatusBar } from './StatusBar'

export function App({ client }: { client: StudioClient }) {
  const [info, setInfo] = useState<AppInfo | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    client.call('app:info', {}).then(setInfo, (reason: unknown) => setError(String(reason)))
  }, [client])

  return (
    <div className="shell">
      <header className="shell__header">
        <span className="shell__brand">PerSAM Studio</span>
      </header>
      <aside className="shell__sidebar" aria-label="Images">
        <p className="muted">No project open</p>
      </aside>
      <main className="shell__canvas">
        <div className="welcome">
          <h1>Mark an object once.</h1>
          <p>PerSAM Studio finds it in every other image and queues the proposals for your review.</p>
        </div>
      </main>
      <StatusBar info={info} error={error} transport={client.transportKind} />
    </div>
  )
}
