/** What the editor does when the core pushes an event. Returns the function that unsubscribes. */
import type { Editor } from './Editor'
import { upsertAnnotation } from './managers/documentOps'

export function subscribeToCore(editor: Editor): () => void {
  const { api } = editor
  const unsubscribers = [
    api.on('job:progress', (job) => editor.jobs.track(job)),
    api.on('proposal:added', ({ annotation }) => {
      const detail = editor.doc.image
      if (detail && detail.image.id === annotation.imageId) editor.updateDoc({ image: upsertAnnotation(detail, annotation) })
      editor.review.onProposalAdded(annotation)
      editor.track(editor.documents.reloadImagePages())
    }),
    api.on('annotation:changed', ({ imageIds }) => {
      const open = editor.doc.image?.image.id
      if (open !== undefined && imageIds.includes(open)) editor.track(editor.documents.reloadImage())
      editor.afterAnnotationsChanged()
    }),
    // A refit after decisions reorders the review queue; the panel's own re-read refits to the same model, so it announces nothing.
    api.on('calibration:changed', ({ categoryId }) => {
      editor.track(editor.documents.reloadImagePages())
      editor.track(editor.review.reorder())
      if (editor.session.calibration?.categoryId === categoryId) editor.track(editor.calibration.load())
    }),
    api.on('history:changed', (history) => editor.updateDoc({ history })),
    api.on('model:state', (model) => editor.updateDoc((doc) => ({ core: { ...doc.core, model } }))),
    api.on('project:changed', (project) => {
      const current = editor.doc.project
      // The same project with the same images: only its counts changed.
      if (project && current && project.projectDir === current.projectDir && project.imageCount === current.imageCount) editor.updateDoc({ project })
      else editor.track(editor.documents.adoptProject(project))
    }),
    api.on('app:error', ({ message }) => editor.notify('error', message)),
  ]
  return () => unsubscribers.forEach((unsubscribe) => unsubscribe())
}
