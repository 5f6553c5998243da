/** Review mode's bar: where the walk is, the proposal's score, the decisions with their keys. */
import { useEditor, useEditorState } from '../editorContext'
import { STATUS_LABELS, formatScore } from './labels'

export function ReviewBar() {
  const editor = useEditor()
  const review = useEditorState((s) => s.session.review)
  const detail = useEditorState((s) => s.doc.image)
  if (!review) return null
  const current = detail?.annotations.find((a) => a.id === review.proposals[review.proposalIndex]) ?? null
  return (
    <div className="review-bar" data-testid="review-bar" data-finished={review.finished} data-annotation-id={current?.id ?? ''}>
      <strong className="review-bar__title">Review</strong>
      {review.finished ? (
        <span className="done-text" data-testid="review-done">
          All proposals reviewed.
        </span>
      ) : (
        <>
          <span data-testid="review-position" title="image in the review queue">
            {Math.max(0, review.imageIndex) + 1} / {review.queue.length}
            {review.proposals.length > 1 ? (
              <>
                {' · '}
                <span className="review-bar__wide">proposal </span>
                {review.proposalIndex + 1} of {review.proposals.length}
              </>
            ) : null}
          </span>
          <span>
            score <strong data-testid="review-score">{formatScore(current?.score ?? null)}</strong>
          </span>
          {current ? <span className={`badge badge--${current.status} review-bar__status`}>{STATUS_LABELS[current.status]}</span> : null}
        </>
      )}
      <span className="review-bar__actions">
        <button type="button" onClick={() => void editor.review.previous()} title="Previous (←)">
          ←
        </button>
        <button type="button" className="primary" onClick={() => void editor.review.accept()} title="Accept and go on (Enter, Space)" data-testid="review-accept">
          Accept <kbd>Enter</kbd>
        </button>
        <button type="button" onClick={() => void editor.review.reject()} title="Reject and go on (X)" data-testid="review-reject">
          Reject <kbd>X</kbd>
        </button>
        <button type="button" onClick={() => void editor.review.absent()} title="The object is not in this image (A)" data-testid="review-absent">
          Absent <kbd>A</kbd>
        </button>
        <button type="button" onClick={() => void editor.review.next()} title="Next (D, →)">
          →
        </button>
      </span>
      <label className="small review-bar__learn" title="Accepted corrections become references, and the images not reviewed yet are propagated again">
        <input type="checkbox" checked={review.learnFromCorrections} onChange={(event) => editor.review.setLearnFromCorrections(event.target.checked)} data-testid="review-learn" />
        learn from corrections
      </label>
    </div>
  )
}
