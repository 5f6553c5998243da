/**
 * Messages from the editor: errors stay until dismissed or until their cause ends, information
 * fades after a few seconds. A repeated notice shows its count instead of a second copy.
 */
import { useEffect, useRef } from 'react'
import { useEditor, useEditorState } from './editorContext'

const INFO_MS = 4000

export function Notices() {
  const editor = useEditor()
  const notices = useEditorState((s) => s.session.notices)
  // One timer per notice id, so a new notice does not restart the fading of the others.
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>())

  useEffect(() => {
    const live = new Set(notices.map((n) => n.id))
    for (const [id, timer] of timers.current) {
      if (!live.has(id)) {
        clearTimeout(timer)
        timers.current.delete(id)
      }
    }
    for (const notice of notices) {
      if (notice.level === 'info' && !timers.current.has(notice.id)) timers.current.set(notice.id, setTimeout(() => editor.dismissNotice(notice.id), INFO_MS))
    }
  }, [editor, notices])

  useEffect(() => {
    const pending = timers.current
    return () => {
      for (const timer of pending.values()) clearTimeout(timer)
      pending.clear()
    }
  }, [])

  if (notices.length === 0) return null
  return (
    <div className="notices" aria-live="polite">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice notice--${notice.level}`} role={notice.level === 'error' ? 'alert' : 'status'} data-testid="notice" data-level={notice.level} data-count={notice.count}>
          <span>{notice.message}</span>
          {notice.count > 1 ? (
            <span className="notice__count" title={`${notice.count} times`}>
              ×{notice.count}
            </span>
          ) : null}
          <button type="button" className="notice__close" aria-label="Dismiss" onClick={() => editor.dismissNotice(notice.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  )
}
