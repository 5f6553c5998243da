/** One line under the toolbar saying what the next action does: prompts, candidate, category, review. */
import { useEditor, useEditorState } from '../editorContext'

export function PromptHint() {
  const editor = useEditor()
  const zoom = useEditorState((s) => s.session.camera.zoom)
  const prompts = useEditorState((s) => s.session.prompts)
  const tool = useEditorState((s) => s.session.tool)
  const categories = useEditorState((s) => s.doc.categories)
  const activeId = useEditorState((s) => s.session.activeCategoryId)
  const reviewing = useEditorState((s) => s.session.review !== null)
  const radius = useEditorState((s) => s.session.brushRadius)
  const active = categories.find((c) => c.id === activeId)

  let text: string
  if (prompts) {
    const preview = prompts.preview
    const candidate = preview?.candidates[prompts.candidate]
    const state = prompts.pending ? 'segmenting…' : candidate ? `candidate ${prompts.candidate + 1}/${preview.candidates.length}, score ${candidate.score.toFixed(2)} (Tab for others)` : 'no mask'
    const target = prompts.correcting !== null ? 'replace the proposal (it becomes edited)' : `commit to “${active?.name ?? 'no category'}”`
    text = `${prompts.points.length} point${prompts.points.length === 1 ? '' : 's'}${prompts.box ? ' + box' : ''} · ${state} · Enter: ${target} · Esc: clear`
  } else if (tool === 'brush' || tool === 'eraser') {
    text = `${tool === 'brush' ? 'Brush: paint onto' : 'Eraser: erase from'} the selected mask · radius ${radius} px ([ and ] change it)`
  } else if (tool === 'select') {
    text = 'Click a mask to select it · drag to pan'
  } else if (reviewing) {
    text = 'Enter/Space accept · X reject · A absent · D/→ next · ← previous · click to correct'
  } else {
    text = `Click the object (right click: exclude) or drag a box · Enter commits to “${active?.name ?? 'no category'}”`
  }
  return (
    <div className="prompt-hint" data-testid="prompt-hint" data-pending={prompts?.pending ?? false} data-preview-request={prompts?.preview?.requestId ?? ''}>
      <span className="prompt-hint__text muted small" data-testid="hint-text">
        {text}
      </span>
      <span className="muted small" data-testid="zoom">
        {Math.round(zoom * 100)}%
      </span>
      <button type="button" className="small" onClick={() => editor.camera.fit()} title="Fit (F)">
        Fit
      </button>
      <button type="button" className="small" onClick={() => editor.openDialog('help')} title="Keyboard shortcuts (?)" data-testid="open-help">
        ?
      </button>
    </div>
  )
}
