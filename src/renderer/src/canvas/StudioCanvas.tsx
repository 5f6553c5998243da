/** Mounts the Konva view in a div that fills its parent, and keeps it sized to it. */
import { useEffect, useRef } from 'react'
import type { Editor } from '../editor/Editor'
import { CanvasView } from './CanvasView'
import type { MaskBitmaps } from './MaskBitmaps'

export function StudioCanvas({ editor, bitmaps }: { editor: Editor; bitmaps: MaskBitmaps }) {
  const container = useRef<HTMLDivElement>(null)

  useEffect(() => {
    const element = container.current
    if (!element) return
    const view = new CanvasView(element, editor, bitmaps)
    const observer = new ResizeObserver(([entry]) => {
      if (entry) view.resize(Math.floor(entry.contentRect.width), Math.floor(entry.contentRect.height))
    })
    observer.observe(element)
    return () => {
      observer.disconnect()
      view.destroy()
    }
  }, [editor, bitmaps])

  return <div ref={container} className="canvas" data-testid="canvas" tabIndex={-1} aria-label="Image canvas" />
}
