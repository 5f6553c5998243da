/** What each keyboard command does; the keys are in keymap.ts. */
import type { Editor } from './Editor'
import type { CommandId } from './keymap'

/** Brush radius limits (image pixels; the contract allows up to 2000) and the step of [ and ]. */
export const MIN_BRUSH_RADIUS = 1
export const MAX_BRUSH_RADIUS = 500
const BRUSH_STEP = 1.25

function resizeBrush(editor: Editor, factor: number): void {
  const current = editor.session.brushRadius
  // Always move by at least one pixel, so small radii do not get stuck on rounding.
  const scaled = factor > 1 ? Math.max(current * factor, current + 1) : Math.min(current * factor, current - 1)
  editor.updateSession({ brushRadius: Math.round(Math.min(MAX_BRUSH_RADIUS, Math.max(MIN_BRUSH_RADIUS, scaled))) })
}

/** Esc peels one layer at a time: the prompts, then the box being drawn, then the selection. */
function escape(editor: Editor): void {
  if (editor.session.prompts || editor.session.draftBox) {
    editor.tools.cancelActive()
    editor.prompts.clear()
    return
  }
  if (editor.session.stroke) {
    editor.tools.cancelActive()
    return
  }
  if (!editor.review.active) editor.annotations.select(null)
}

/** Enter in review: a pending correction is committed (and counts as the decision); else accept. */
function reviewAccept(editor: Editor): Promise<void> {
  return editor.session.prompts ? editor.prompts.commit() : editor.review.accept()
}

export const COMMANDS: Record<CommandId, (editor: Editor, keyName: string) => unknown> = {
  'tool.select': (editor) => editor.tools.setTool('select'),
  'tool.samPoints': (editor) => editor.tools.setTool('samPoints'),
  'tool.samBox': (editor) => editor.tools.setTool('samBox'),
  'tool.brush': (editor) => editor.tools.setTool('brush'),
  'tool.eraser': (editor) => editor.tools.setTool('eraser'),
  'brush.smaller': (editor) => resizeBrush(editor, 1 / BRUSH_STEP),
  'brush.larger': (editor) => resizeBrush(editor, BRUSH_STEP),
  'prompt.commit': (editor) => editor.prompts.commit(),
  'prompt.clear': escape,
  'prompt.nextCandidate': (editor) => editor.prompts.cycleCandidate(1),
  'prompt.previousCandidate': (editor) => editor.prompts.cycleCandidate(-1),
  'history.undo': (editor) => editor.history.undo(),
  'history.redo': (editor) => editor.history.redo(),
  'annotation.reference': (editor) => {
    const selected = editor.annotations.selected()
    if (selected) return editor.annotations.toggleReference(selected.id)
    editor.notify('info', 'Select a mask first, then press R to use it as reference.', { cause: { kind: 'no-selection' } })
    return undefined
  },
  'annotation.delete': (editor) => {
    const selected = editor.annotations.selected()
    return selected ? editor.annotations.review(selected.id, 'delete') : undefined
  },
  'category.byNumber': (editor, keyName) => {
    const category = editor.doc.categories[Number(keyName) - 1]
    if (category) editor.updateSession({ activeCategoryId: category.id })
  },
  'propagate.open': (editor) => editor.openDialog('propagate'),
  'review.toggle': (editor) => (editor.review.active ? editor.review.stop() : editor.review.start()),
  'review.accept': reviewAccept,
  'review.reject': (editor) => editor.review.reject(),
  'absent.mark': (editor) => (editor.review.active ? editor.review.absent() : editor.annotations.markImageAbsent()),
  'review.next': (editor) => editor.review.next(),
  'review.previous': (editor) => editor.review.previous(),
  'image.next': (editor) => editor.documents.stepImage(1),
  'image.previous': (editor) => editor.documents.stepImage(-1),
  'view.fit': (editor) => editor.camera.fit(),
  'view.zoomIn': (editor) => editor.camera.step(1),
  'view.zoomOut': (editor) => editor.camera.step(-1),
  'view.toggleMasks': (editor) => editor.updateSession({ masksVisible: !editor.session.masksVisible }),
  'help.toggle': (editor) => editor.openDialog(editor.session.dialog === 'help' ? null : 'help'),
  'models.open': (editor) => editor.openDialog('models'),
  'sequence.next': (editor) => editor.sequence.state.sequence && editor.sequence.step(1),
  'sequence.previous': (editor) => editor.sequence.state.sequence && editor.sequence.step(-1),
  'sequence.nextFlagged': (editor) => editor.sequence.state.sequence && editor.sequence.nextFlagged(),
  'sequence.playPause': (editor) => editor.sequence.state.sequence && editor.sequence.togglePlay(),
}
