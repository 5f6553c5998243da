/** Tools, brush size, undo/redo, and the propagate / review / export actions, each with its key. */
import type { ToolId } from '../../editor/state'
import { useEditor, useEditorState } from '../editorContext'

const TOOLS: readonly { id: ToolId; label: string; key: string }[] = [
  { id: 'select', label: 'Select', key: 'V' },
  { id: 'samPoints', label: 'Points', key: 'S' },
  { id: 'samBox', label: 'Box', key: 'Shift+S' },
  { id: 'brush', label: 'Brush', key: 'B' },
  { id: 'eraser', label: 'Eraser', key: 'E' },
]

export function Toolbar() {
  const editor = useEditor()
  const tool = useEditorState((s) => s.session.tool)
  const history = useEditorState((s) => s.doc.history)
  const reviewing = useEditorState((s) => s.session.review !== null)

  return (
    <div className="toolbar" role="toolbar" aria-label="Tools" data-testid="toolbar">
      <div className="toolbar__group">
        {TOOLS.map((t) => (
          <button
            type="button"
            key={t.id}
            className={`tool${tool === t.id ? ' tool--on' : ''}`}
            aria-pressed={tool === t.id}
            onClick={() => editor.tools.setTool(t.id)}
            title={`${t.id.startsWith('sam') ? `SAM ${t.label.toLowerCase()}` : t.label} (${t.key})`}
            data-testid={`tool-${t.id}`}
          >
            {t.label} <kbd>{t.key}</kbd>
          </button>
        ))}
      </div>
      <div className="toolbar__group">
        <button type="button" disabled={!history.canUndo} onClick={() => void editor.history.undo()} title={history.undoLabel ? `Undo ${history.undoLabel} (Ctrl+Z)` : 'Undo (Ctrl+Z)'} data-testid="undo">
          Undo
        </button>
        <button type="button" disabled={!history.canRedo} onClick={() => void editor.history.redo()} title={history.redoLabel ? `Redo ${history.redoLabel} (Ctrl+Shift+Z)` : 'Redo (Ctrl+Shift+Z)'} data-testid="redo">
          Redo
        </button>
      </div>
      <div className="toolbar__group">
        <button type="button" onClick={() => editor.openDialog('propagate')} title="Propagate to other images (P)" data-testid="open-propagate">
          Propagate
        </button>
        <button
          type="button"
          className={reviewing ? 'tool--on' : ''}
          title="Review proposals, least confident first (Shift+R)"
          onClick={() => (reviewing ? editor.review.stop() : void editor.review.start())} data-testid="toggle-review">
          {reviewing ? 'Stop review' : 'Review'}
        </button>
        <button type="button" onClick={() => editor.openDialog('export')} data-testid="open-export">
          Export
        </button>
      </div>
    </div>
  )
}
