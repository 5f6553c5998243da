/** The workers panel: the propagation queue (if any) and the machines taking its tasks, read every two seconds while open. */
import { useEffect, useMemo, useSyncExternalStore } from 'react'
import { formatThroughput, WorkersMonitor, type WorkersView } from '../../editor/workersMonitor'
import { Modal } from '../dialogs/Modal'
import { useEditor } from '../editorContext'
import './workers.css'

const STATE_TEXT: Record<WorkersView['state'], string> = {
  checking: 'checking…',
  'not-configured': 'not configured: propagation runs in this studio',
  connected: 'connected',
  unreachable: 'unreachable',
}

export function WorkersPanel({ onClose }: { onClose: () => void }) {
  const editor = useEditor()
  const monitor = useMemo(() => new WorkersMonitor(editor.api), [editor])
  const view = useSyncExternalStore(monitor.subscribe, monitor.view)
  useEffect(() => {
    monitor.start()
    return () => monitor.stop()
  }, [monitor])

  return (
    <Modal title="Propagation workers" onClose={onClose} testId="workers-panel" wide>
      <div className="workers">
        <p data-testid="queue-state" data-state={view.state}>
          Queue: <strong>{STATE_TEXT[view.state]}</strong>
          {view.url ? <span className="muted"> · {view.url}</span> : null}
        </p>
        {view.problem ? (
          <p className="inline-error" role="alert" data-testid="queue-problem">
            {view.problem}
          </p>
        ) : null}
        {view.state === 'not-configured' ? (
          <p className="muted small">
            Set PERSAM_QUEUE_URL or write queue.json in the data folder, then start `persam-studio worker --queue redis://HOST:PORT` on each GPU machine.
          </p>
        ) : null}
        {view.state === 'connected' && view.workers.length === 0 ? (
          <p className="muted small" data-testid="workers-none">
            No worker is connected: queued propagation waits until one starts.
          </p>
        ) : null}
        {view.workers.length > 0 ? (
          <table className="workers__table">
            <thead>
              <tr>
                <th>Worker</th>
                <th>Model</th>
                <th>Provider</th>
                <th>Concurrency</th>
                <th>Throughput</th>
                <th>Done</th>
                <th>Last seen</th>
              </tr>
            </thead>
            <tbody>
              {view.workers.map((worker) => (
                <tr key={worker.id} data-testid="worker-row" data-worker-id={worker.id} data-images-per-second={worker.imagesPerSecond.toFixed(3)}>
                  <td title={worker.id}>
                    <span data-testid="worker-host">{worker.host}</span>
                    <div className="muted small">{worker.id}</div>
                  </td>
                  <td title={`sha256 ${worker.modelShaShort}…`}>
                    <span data-testid="worker-model">{worker.modelId}</span> <code className="muted">{worker.modelShaShort}</code>
                  </td>
                  <td data-testid="worker-provider">{worker.provider}</td>
                  <td>{worker.concurrency}</td>
                  <td data-testid="worker-throughput">{formatThroughput(worker.imagesPerSecond)}</td>
                  <td data-testid="worker-done">
                    {worker.done}
                    {worker.failed > 0 ? <span className="muted"> ({worker.failed} failed)</span> : null}
                  </td>
                  <td>{worker.lastSeenSecondsAgo <= 1 ? 'now' : `${worker.lastSeenSecondsAgo} s ago`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
    </Modal>
  )
}
