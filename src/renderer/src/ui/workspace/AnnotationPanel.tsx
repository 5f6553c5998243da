/** The open image's annotations: status, score, method, reference flag; select, decide, use as reference. */
import { inReviewOrder } from '../../editor/managers/documentOps'
import { useEditor, useEditorState } from '../editorContext'
import { SOURCE_LABELS, STATUS_LABELS, formatScore } from './labels'

export function AnnotationPanel() {
  const editor = useEditor()
  const detail = useEditorState((s) => s.doc.image)
  const categories = useEditorState((s) => s.doc.categories)
  const selectedId = useEditorState((s) => s.session.selectedAnnotationId)
  const hoverId = useEditorState((s) => s.session.hoverAnnotationId)
  const activeCategoryId = useEditorState((s) => s.session.activeCategoryId)
  const reviewed = useEditorState((s) => (s.session.review && s.doc.image && s.session.review.queue[s.session.review.imageIndex] === s.doc.image.image.id ? s.session.review.proposals : null))

  if (!detail) return null
  // In review the cards follow the walk, so "proposal N of M" is the N-th card.
  const annotations = reviewed ? inReviewOrder(detail.annotations, reviewed) : detail.annotations
  return (
    <section className="panel panel--grow" data-testid="annotation-panel">
      <h3 className="panel__title">
        Annotations <span className="muted small">{detail.image.fileName}</span>
      </h3>
      {annotations.length === 0 ? <p className="muted small">None yet. Click the object with the SAM tool (S), then press Enter.</p> : null}
      <ul className="plain-list">
        {annotations.map((annotation) => {
          const category = categories.find((c) => c.id === annotation.categoryId)
          const selected = annotation.id === selectedId
          return (
            <li
              key={annotation.id}
              className={`annotation${selected ? ' annotation--selected' : ''}${annotation.id === hoverId ? ' annotation--hover' : ''}`}
              data-testid="annotation-row"
              data-annotation-id={annotation.id}
              data-status={annotation.status}
              data-reference={annotation.isReference}
              onMouseEnter={() => editor.updateSession({ hoverAnnotationId: annotation.id })}
              onMouseLeave={() => editor.updateSession({ hoverAnnotationId: null })}
            >
              <button type="button" className="annotation__main" onClick={() => editor.annotations.select(selected ? null : annotation.id)}>
                <span className="swatch" style={{ background: category?.color ?? '#888' }} />
                <span className="annotation__name">
                  {category?.name ?? `category ${annotation.categoryId}`}
                  {annotation.isReference ? (
                    <span className="reference-mark" title="Reference for propagation">
                      ★ reference
                    </span>
                  ) : null}
                </span>
                <span className={`badge badge--${annotation.status}`}>{STATUS_LABELS[annotation.status]}</span>
              </button>
              <div className="annotation__facts muted small">
                <span title="confidence">score {formatScore(annotation.score)}</span>
                <span>{SOURCE_LABELS[annotation.source]}</span>
                <span>{annotation.area.toLocaleString()} px</span>
              </div>
              {selected ? (
                <div className="row wrap">
                  {annotation.mask ? (
                    <button type="button" className="small" onClick={() => void editor.annotations.toggleReference(annotation.id)} data-testid="annotation-reference">
                      {annotation.isReference ? 'Stop using as reference' : 'Use as reference (R)'}
                    </button>
                  ) : null}
                  {annotation.status !== 'accepted' ? (
                    <button type="button" className="small" onClick={() => void editor.annotations.review(annotation.id, 'accept')}>
                      Accept
                    </button>
                  ) : null}
                  {annotation.status !== 'rejected' ? (
                    <button type="button" className="small" onClick={() => void editor.annotations.review(annotation.id, 'reject')}>
                      Reject
                    </button>
                  ) : null}
                  <button type="button" className="small danger" onClick={() => void editor.annotations.review(annotation.id, 'delete')}>
                    Delete
                  </button>
                </div>
              ) : null}
            </li>
          )
        })}
      </ul>
      <button type="button" className="small" onClick={() => void editor.annotations.markImageAbsent()} disabled={activeCategoryId === null} data-testid="mark-image-absent" title="The active category's object is not in this image (A)">
        Object not in this image <kbd>A</kbd>
      </button>
    </section>
  )
}
