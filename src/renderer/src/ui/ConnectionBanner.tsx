/**
 * One banner for a lost connection (browser mode), instead of one error per failed call: while
 * the server does not answer, and, when it was restarted with a new token, what to do about it.
 */
import { useEditorState } from './editorContext'
import './studio-import.css'

export function ConnectionBanner() {
  const connection = useEditorState((s) => s.doc.core.connection)
  if (connection === 'connected') return null
  return (
    <div className={`connection-banner connection-banner--${connection}`} role="alert" data-testid="connection-banner" data-state={connection}>
      {connection === 'reconnecting' ? (
        <span>Connection to the studio lost, reconnecting…</span>
      ) : (
        <span>
          The studio was restarted. Open the new address printed in the terminal where it runs (<code>npm run serve</code> or{' '}
          <code>persam-studio serve</code>); this page's access has expired.
        </span>
      )}
    </div>
  )
}
