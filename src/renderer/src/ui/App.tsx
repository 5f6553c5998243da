/** The window: welcome screen or workspace, dialogs, notices and the status bar, under an error boundary. */
import { useEffect } from 'react'
import type { MaskBitmaps } from '../canvas/MaskBitmaps'
import type { Editor } from '../editor/Editor'
import { ConnectionBanner } from './ConnectionBanner'
import { ExportDialog } from './dialogs/ExportDialog'
import { ImportDialog } from './dialogs/ImportDialog'
import { PropagateDialog } from './dialogs/PropagateDialog'
import { EditorContext, useEditor, useEditorState } from './editorContext'
import { ErrorBoundary } from './ErrorBoundary'
import { HelpOverlay } from './HelpOverlay'
import { ModelsPanel } from './models/ModelsPanel'
import { Notices } from './Notices'
import { StatusBar } from './StatusBar'
import { useKeyboard } from './useKeyboard'
import { WelcomeScreen } from './welcome/WelcomeScreen'
import { WorkersPanel } from './workers/WorkersPanel'
import { Workspace } from './workspace/Workspace'

interface AppProps {
  readonly editor: Editor
  readonly bitmaps: MaskBitmaps
  readonly transport: 'electron' | 'http'
}

export function App({ editor, bitmaps, transport }: AppProps) {
  useEffect(() => {
    void editor.start()
    return () => editor.dispose()
  }, [editor])

  return (
    <EditorContext.Provider value={editor}>
      <div className="shell">
        <ErrorBoundary>
          <Header />
        </ErrorBoundary>
        <div className="shell__body">
          <ErrorBoundary>
            <Screen bitmaps={bitmaps} />
          </ErrorBoundary>
        </div>
        <StatusBar transport={transport} />
        <Notices />
        <ConnectionBanner />
      </div>
    </EditorContext.Provider>
  )
}

function Header() {
  const editor = useEditor()
  const project = useEditorState((s) => s.doc.project)
  useKeyboard(editor)
  return (
    <header className="shell__header">
      <span className="shell__brand">PerSAM Studio</span>
      {project ? (
        <>
          <span className="shell__project" data-testid="project-name">
            {project.name}
            {project.isDemo ? <span className="badge">demo</span> : null}
          </span>
          <span className="muted small">{project.imageCount} images</span>
        </>
      ) : null}
      <span className="shell__actions">
        <button type="button" className="small" onClick={() => editor.openDialog('models')} title="Models and execution providers (M)" data-testid="open-models">
          Models
        </button>
        <button type="button" className="small" onClick={() => editor.openDialog('workers')} title="Machines taking propagation tasks from the queue" data-testid="open-workers">
          Workers
        </button>
        {project ? (
          <button type="button" className="small" onClick={() => editor.openDialog('import')} title="Import COCO, PerSeg, DAVIS or more images into this project" data-testid="open-import">
            Import…
          </button>
        ) : null}
        {project ? (
          <button type="button" className="small" onClick={() => void editor.documents.closeProject()} data-testid="close-project">
            Close project
          </button>
        ) : null}
      </span>
    </header>
  )
}

function Screen({ bitmaps }: { bitmaps: MaskBitmaps }) {
  const editor = useEditor()
  const project = useEditorState((s) => s.doc.project)
  const dialog = useEditorState((s) => s.session.dialog)
  const close = () => editor.openDialog(null)
  return (
    <>
      {project ? <Workspace bitmaps={bitmaps} /> : <WelcomeScreen />}
      {dialog === 'help' ? <HelpOverlay onClose={close} /> : null}
      {dialog === 'models' ? <ModelsPanel onClose={close} /> : null}
      {dialog === 'workers' ? <WorkersPanel onClose={close} /> : null}
      {dialog === 'propagate' && project ? <PropagateDialog onClose={close} /> : null}
      {dialog === 'export' && project ? <ExportDialog onClose={close} /> : null}
      {dialog === 'import' && project ? <ImportDialog onClose={close} /> : null}
    </>
  )
}
