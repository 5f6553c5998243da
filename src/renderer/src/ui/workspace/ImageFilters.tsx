/** Filters over the image list, with the count of images in each state. */
import { IMAGE_STATES, type ImageState } from '../../../../common/ipc/types'
import { useEditor, useEditorState } from '../editorContext'
import { IMAGE_STATE_LABELS } from './labels'

export function ImageFilters() {
  const editor = useEditor()
  const filter = useEditorState((s) => s.doc.images.filter)
  const counts = useEditorState((s) => s.doc.images.imageCounts)
  const annotationCounts = useEditorState((s) => s.doc.images.annotationCounts)
  const categories = useEditorState((s) => s.doc.categories)
  const all = counts ? IMAGE_STATES.reduce((sum, state) => sum + counts[state], 0) : null

  const chip = (state: ImageState | null, label: string, count: number | null | undefined) => (
    <button
      type="button"
      key={state ?? 'all'}
      className={`chip${filter.state === state ? ' chip--on' : ''}${state ? ` chip--${state}` : ''}`}
      onClick={() => void editor.documents.setFilter({ state })}
      data-testid={`filter-${state ?? 'all'}`}
      aria-pressed={filter.state === state}
    >
      {label} <span className="chip__count">{count ?? '…'}</span>
    </button>
  )

  return (
    <div className="filters" data-testid="image-filters">
      <div className="chips">
        {chip(null, 'All', all)}
        {IMAGE_STATES.map((state) => chip(state, IMAGE_STATE_LABELS[state], counts?.[state]))}
      </div>
      <div className="row">
        <select value={filter.order} onChange={(event) => void editor.documents.setFilter({ order: event.target.value as 'name' | 'review' })} aria-label="Order" data-testid="filter-order">
          <option value="name">By name</option>
          <option value="review">Least confident</option>
        </select>
        <select
          value={filter.categoryId ?? ''}
          onChange={(event) => void editor.documents.setFilter({ categoryId: event.target.value ? Number(event.target.value) : null })}
          aria-label="Category"
          data-testid="filter-category"
        >
          <option value="">All categories</option>
          {categories.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      {annotationCounts ? (
        <p className="muted small" data-testid="annotation-counts">
          {annotationCounts.proposed} proposed · {annotationCounts.accepted} accepted · {annotationCounts.edited} edited · {annotationCounts.rejected} rejected ·{' '}
          {annotationCounts.absent} absent
        </p>
      ) : null}
    </div>
  )
}
