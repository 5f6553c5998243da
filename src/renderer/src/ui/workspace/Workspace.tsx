/** The main screen: image list, canvas with its toolbar and review bar, categories and annotations. */
import { StudioCanvas } from '../../canvas/StudioCanvas'
import type { MaskBitmaps } from '../../canvas/MaskBitmaps'
import { useEditor } from '../editorContext'
import { SequencePanel } from '../sequence/SequencePanel'
import { AnnotationPanel } from './AnnotationPanel'
import { CategoriesPanel } from './CategoriesPanel'
import { ConfidencePanel } from './ConfidencePanel'
import { ImageFilters } from './ImageFilters'
import { ImageList } from './ImageList'
import { JobProgress } from './JobProgress'
import { ProjectStatus } from './ProjectStatus'
import { PromptHint } from './PromptHint'
import { ReviewBar } from './ReviewBar'
import { Toolbar } from './Toolbar'

export function Workspace({ bitmaps }: { bitmaps: MaskBitmaps }) {
  const editor = useEditor()
  return (
    <div className="workspace" data-testid="workspace">
      <aside className="sidebar" aria-label="Images">
        <ImageFilters />
        <ImageList />
      </aside>
      <main className="center">
        <ProjectStatus />
        <Toolbar />
        <ReviewBar />
        <PromptHint />
        <div className="canvas-wrap">
          <StudioCanvas editor={editor} bitmaps={bitmaps} />
        </div>
        <SequencePanel />
        <JobProgress />
      </main>
      <aside className="sidebar sidebar--right" aria-label="Categories and annotations">
        <CategoriesPanel />
        <ConfidencePanel />
        <AnnotationPanel />
      </aside>
    </div>
  )
}
