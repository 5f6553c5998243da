/** The models panel: the model and where it runs, installed models, downloads, imports; written for the people annotating. */
import { useEffect } from 'react'
import { Modal } from '../dialogs/Modal'
import { useEditor, useEditorState } from '../editorContext'
import { InstalledModels } from './InstalledModels'
import { ModelCatalog, ModelImport } from './ModelCatalog'
import { ProviderPicker } from './ProviderPicker'

export function ModelsPanel({ onClose }: { onClose: () => void }) {
  const editor = useEditor()
  const model = useEditorState((s) => s.doc.core.model)
  const onlyToy = useEditorState((s) => s.doc.core.installedModels !== null && s.doc.core.installedModels.every((m) => m.isToy))

  // What is installed and which providers work can change outside this window: read it afresh.
  useEffect(() => {
    void editor.models.load()
  }, [editor])

  return (
    <Modal title="Models and accelerators" onClose={onClose} testId="models-panel" wide>
      <div className="models">
        {model?.error ? (
          <p className="inline-error" role="alert" data-testid="model-load-error">
            The model could not be loaded: {model.error}
          </p>
        ) : null}
        {onlyToy ? (
          <p className="callout small" data-testid="models-toy-warning">
            Only the bundled toy model is installed: it runs real inference so every step works, but its masks are rough. Download or import a real SAM
            model for real work.
          </p>
        ) : null}
        <div className="models__columns">
          <div className="stack">
            <InstalledModels />
            <ProviderPicker />
          </div>
          <div className="stack">
            <ModelCatalog />
            <ModelImport />
          </div>
        </div>
      </div>
    </Modal>
  )
}
