/** The outcome of one models-panel action, next to its button: a failure in words (dismissable), or a success. */
import type { ModelActionKey } from '../../editor/managers/ModelsController'
import { useEditor, useEditorState } from '../editorContext'

export function ActionStatus({ actionKey }: { actionKey: ModelActionKey }) {
  const editor = useEditor()
  const action = useEditorState((s) => s.session.modelActions[actionKey] ?? null)
  if (!action || (!action.error && !action.message)) return null
  if (action.message) {
    return (
      <p className="done-text small" data-testid="model-action-message" data-action={actionKey}>
        {action.message}
      </p>
    )
  }
  return (
    <div className="inline-error" role="alert" data-testid="model-action-error" data-action={actionKey}>
      <span>{action.error}</span>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => editor.models.dismiss(actionKey)}>
        ×
      </button>
    </div>
  )
}
