/**
 * The image list, virtualised: only the rows in view exist, and only the pages they need are
 * read from the core (image:list pages of IMAGE_PAGE_SIZE). Rows show a thumbnail, the state
 * badge and the annotation count.
 */
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef } from 'react'
import { mediaPath } from '../../../../common/ipc/media'
import { IMAGE_STATE_LABELS } from './labels'
import { useEditor, useEditorState } from '../editorContext'

const ROW_HEIGHT = 60

export function ImageList() {
  const editor = useEditor()
  const images = useEditorState((s) => s.doc.images)
  const openId = useEditorState((s) => s.doc.image?.image.id ?? null)
  const loadingId = useEditorState((s) => s.session.loadingImageId)
  // Thumbnails that failed while the server was away load again when it is back (a new element).
  const connection = useEditorState((s) => s.doc.core.connection)
  const scroller = useRef<HTMLDivElement>(null)

  const virtualizer = useVirtualizer({
    count: images.total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  })
  const rows = virtualizer.getVirtualItems()
  const first = rows[0]?.index ?? 0
  const last = rows[rows.length - 1]?.index ?? 0

  useEffect(() => {
    if (images.total > 0) void editor.documents.ensureRange(first, last + 1)
  }, [editor, first, last, images.total, images.pages])

  // Keyboard navigation and the review walk keep the open image in view.
  useEffect(() => {
    const index = openId === null ? -1 : editor.documents.indexOf(openId)
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' })
  }, [editor, openId, virtualizer])

  if (images.total === 0) return <p className="muted pad">No images match this filter.</p>
  return (
    <div ref={scroller} className="image-list" data-testid="image-list">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {rows.map((row) => {
          const item = editor.documents.itemAt(row.index)
          const style = { position: 'absolute' as const, top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${row.start}px)` }
          if (!item) return <div key={row.key} className="image-row image-row--loading" style={style} />
          return (
            <button
              type="button"
              key={row.key}
              style={style}
              className={`image-row${item.id === openId ? ' image-row--open' : ''}${item.id === loadingId ? ' image-row--loading' : ''}`}
              onClick={() => void editor.documents.openImage(item.id)}
              data-testid="image-row"
              data-image-id={item.id}
              data-state={item.state}
            >
              {/* Keyed by URL and connection: a row reused for another project's image, or a thumbnail that
                  failed while the server was away, gets a fresh element, not one an old error hid. */}
              <img
                key={`${mediaPath(item, 'thumb')}|${connection}`}
                className="image-row__thumb"
                src={mediaPath(item, 'thumb')}
                alt=""
                loading="lazy"
                onError={(event) => (event.currentTarget.style.visibility = 'hidden')}
              />
              <span className="image-row__text">
                <span className="image-row__name" title={item.fileName}>
                  {item.fileName}
                </span>
                <span className="image-row__meta">
                  <span className={`badge badge--${item.state}`}>{IMAGE_STATE_LABELS[item.state]}</span>
                  {item.annotationCount > 0 ? <span className="muted small">{item.annotationCount} ann.</span> : null}
                  {item.minScore !== null ? <span className="muted small">min {item.minScore.toFixed(2)}</span> : null}
                </span>
              </span>
            </button>
          )
        })}
      </div>
    </div>
  )
}
