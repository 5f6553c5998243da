/**
 * The review confidence of the active category: a histogram of the pending proposals'
 * confidence with the absent threshold marked, the counts above and below it, how the
 * confidence in use did on the decisions so far, and "Accept all above X" with the number the
 * model expects to be wrong (one undo step). Logic: editor/managers/CalibrationController.
 */
import { useEffect, useState } from 'react'
import { formatExpected } from '../../editor/managers/CalibrationController'
import { useEditor, useEditorState } from '../editorContext'

const KIND_LABELS = { prior: "engine's confidence", platt: 'learned (Platt)', isotonic: 'learned (isotonic)', signals: 'learned (all signals)' } as const

export function ConfidencePanel() {
  const editor = useEditor()
  const view = useEditorState((s) => s.session.calibration)
  const activeCategoryId = useEditorState((s) => s.session.activeCategoryId)
  const hasProject = useEditorState((s) => s.doc.project !== null && s.doc.categories.length > 0)
  const [draft, setDraft] = useState<string | null>(null)

  useEffect(() => {
    if (view && activeCategoryId !== null && view.categoryId !== activeCategoryId) void editor.calibration.open(activeCategoryId)
  }, [editor, view, activeCategoryId])

  if (!hasProject) return null
  if (!view) {
    return (
      <section className="panel" data-testid="confidence-panel">
        <h3 className="panel__title">
          Review confidence
          <button type="button" className="small" onClick={() => void editor.calibration.open()} data-testid="confidence-open">
            Show
          </button>
        </h3>
      </section>
    )
  }
  const histogram = view.histogram
  const tallest = histogram ? Math.max(1, ...histogram.counts) : 1
  return (
    <section className="panel" data-testid="confidence-panel">
      <h3 className="panel__title">
        Review confidence
        <button type="button" className="small" onClick={() => editor.calibration.close()} data-testid="confidence-close">
          Hide
        </button>
      </h3>
      {!histogram ? (
        <p className="muted small">Reading…</p>
      ) : (
        <>
          <div className="confidence-histogram" role="img" aria-label={`Confidence of ${histogram.above + histogram.below} pending proposals`} data-testid="confidence-histogram">
            {histogram.counts.map((count, bin) => (
              <div key={bin} className="confidence-histogram__bar" style={{ height: `${(100 * count) / tallest}%` }} title={`${count} between ${(bin / histogram.counts.length).toFixed(2)} and ${((bin + 1) / histogram.counts.length).toFixed(2)}`} />
            ))}
            <div className="confidence-histogram__threshold" style={{ left: `${100 * histogram.threshold}%` }} title={`Absent threshold ${histogram.threshold.toFixed(2)}`} data-testid="confidence-threshold" />
          </div>
          <p className="small" data-testid="confidence-counts">
            Threshold {histogram.threshold.toFixed(2)}: <strong data-testid="confidence-above">{histogram.above}</strong> above,{' '}
            <strong data-testid="confidence-below">{histogram.below}</strong> below
          </p>
          <p className="muted small" data-testid="confidence-model">
            {KIND_LABELS[histogram.kind]} · {histogram.decisions} decisions
            {histogram.report.heldOutAuroc !== null ? ` · held-out AUROC ${histogram.report.heldOutAuroc.toFixed(2)}` : ''}
            {histogram.report.priorAuroc !== null && histogram.kind !== 'prior' ? ` (engine ${histogram.report.priorAuroc.toFixed(2)})` : ''}
            {histogram.report.heldOutBrier !== null ? ` · Brier ${histogram.report.heldOutBrier.toFixed(3)}` : ''}
            <br />
            {histogram.report.reason}
            {histogram.report.ordersReview ? '; it orders the review.' : ''}
          </p>
          <form
            className="row"
            onSubmit={(event) => {
              event.preventDefault()
              void editor.calibration.acceptAll()
            }}
          >
            <label className="small">
              Accept all above{' '}
              <input
                type="number"
                min={0}
                max={1}
                step={0.01}
                value={draft ?? view.acceptAbove}
                onChange={(event) => {
                  // The field may hold a half-typed number; the preview follows each valid one.
                  setDraft(event.target.value)
                  const value = Number(event.target.value)
                  if (event.target.value !== '' && Number.isFinite(value)) void editor.calibration.setAcceptAbove(value)
                }}
                onBlur={() => setDraft(null)}
                data-testid="accept-above"
              />
            </label>
            <button type="submit" disabled={histogram.acceptAll.accepted === 0} data-testid="accept-all">
              Accept {histogram.acceptAll.accepted}
            </button>
          </form>
          <p className="muted small" data-testid="accept-all-estimate">
            The model expects about {formatExpected(histogram.acceptAll.expectedWrong)} of these {histogram.acceptAll.accepted} to be wrong. Undo brings them all back.
          </p>
        </>
      )}
    </section>
  )
}
