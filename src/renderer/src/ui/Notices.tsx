/** Messages from the editor: errors stay until dismissed, information fades after a few seconds. */
import { useEffect } from 'react'
import { useEditor, useEditorState } from './editorContext'

const INFO_MS = 4000

export function Notices() {
  const editor = useEditor()
  const notices = useEditorState((s) => s.session.notices)

  useEffect(() => {
    const timers = notices.filter((n) => n.level === 'info').map((n) => setTimeout(() => editor.dismissNotice(n.id), INFO_MS))
    return () => timers.forEach(clearTimeout)
  }, [editor, notices])

  if (notices.length === 0) return null
  return (
    <div className="notices" aria-live="polite">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice notice--${notice.level}`} role={notice.level === 'error' ? 'alert' : 'status'} data-testid="notice" data-level={notice.level}>
          <span>{notice.message}</span>
          <button type="button" className="notice__close" aria-label="Dismiss" onClick={() => editor.dismissNotice(notice.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  )
}
