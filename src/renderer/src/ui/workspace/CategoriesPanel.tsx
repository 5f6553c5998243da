/** Categories: pick the active one (1–9), add, recolour, delete after confirming the annotation count. */
import { useState } from 'react'
import { useEditor, useEditorState } from '../editorContext'

export function CategoriesPanel() {
  const editor = useEditor()
  const categories = useEditorState((s) => s.doc.categories)
  const activeId = useEditorState((s) => s.session.activeCategoryId)
  const [name, setName] = useState('')
  const [confirming, setConfirming] = useState<number | null>(null)

  return (
    <section className="panel" data-testid="categories-panel">
      <h3 className="panel__title">Categories</h3>
      {categories.length === 0 ? <p className="muted small">Add a category to start: masks are stored under one.</p> : null}
      <ul className="plain-list">
        {categories.map((category, index) => (
          <li key={category.id} className={`category${category.id === activeId ? ' category--active' : ''}`} data-testid="category-row" data-category-id={category.id}>
            <input
              type="color"
              value={category.color}
              onChange={(event) => void editor.categories.update(category.id, { color: event.target.value })}
              aria-label={`Colour of ${category.name}`}
              className="category__swatch"
            />
            <button type="button" className="category__name" onClick={() => editor.categories.setActive(category.id)} aria-pressed={category.id === activeId}>
              {index < 9 ? <kbd>{index + 1}</kbd> : null} {category.name}
            </button>
            <span className="muted small" title="annotations · references">
              {category.annotationCount} · {category.referenceCount}★
            </span>
            {confirming === category.id ? (
              <span className="row">
                <button
                  type="button"
                  className="danger small"
                  onClick={() => {
                    setConfirming(null)
                    void editor.categories.remove(category.id, category.annotationCount)
                  }}
                >
                  Delete {category.annotationCount} annotations
                </button>
                <button type="button" className="small" onClick={() => setConfirming(null)}>
                  Keep
                </button>
              </span>
            ) : (
              <button type="button" className="icon-button" aria-label={`Delete ${category.name}`} onClick={() => setConfirming(category.id)}>
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault()
          if (name.trim()) void editor.categories.create(name.trim()).then(() => setName(''))
        }}
      >
        <input type="text" value={name} onChange={(event) => setName(event.target.value)} placeholder="New category" aria-label="New category name" data-testid="category-name" />
        <button type="submit" disabled={!name.trim()} data-testid="category-add">
          Add
        </button>
      </form>
    </section>
  )
}
