/**
 * The timeline: one cell per frame coloured by its state, with a bar as tall as its confidence,
 * and the playhead on the current frame. Dragging on it scrubs; a click goes to that frame.
 */
import { useRef } from 'react'
import type { PointerEvent } from 'react'
import { useEditor } from '../editorContext'
import { useSequenceState } from './useSequence'

export function TimelineStrip() {
  const editor = useEditor()
  const frames = useSequenceState((s) => s.frames)
  const current = useSequenceState((s) => s.current)
  const dragging = useRef(false)
  const scrub = (event: PointerEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect()
    void editor.sequence.scrubTo(event.clientX - box.left, box.width)
  }
  return (
    <div
      className="timeline"
      data-testid="timeline-strip"
      role="slider"
      aria-label="Frame"
      aria-valuemin={0}
      aria-valuemax={Math.max(0, frames.length - 1)}
      aria-valuenow={current}
      onPointerDown={(event) => {
        dragging.current = true
        event.currentTarget.setPointerCapture?.(event.pointerId)
        scrub(event)
      }}
      onPointerMove={(event) => {
        if (dragging.current) scrub(event)
      }}
      onPointerUp={() => {
        dragging.current = false
      }}
      onPointerCancel={() => {
        dragging.current = false
      }}
    >
      {frames.map((frame, index) => (
        <div
          key={frame.frameIndex}
          className={`timeline__cell timeline__cell--${frame.state}${index === current ? ' timeline__cell--current' : ''}`}
          data-testid="timeline-cell"
          data-frame={index}
          data-state={frame.state}
          data-confidence={frame.confidence ?? ''}
          title={`Frame ${index + 1}: ${frame.state}${frame.confidence !== null ? ` (${frame.confidence.toFixed(2)})` : ''}${frame.reason ? `, ${frame.reason}` : ''}`}
        >
          <span className="timeline__confidence" style={{ height: `${Math.round((frame.confidence ?? 0) * 100)}%` }} />
        </div>
      ))}
      {frames.length > 0 && <div className="timeline__playhead" data-testid="timeline-playhead" style={{ left: `${((current + 0.5) / frames.length) * 100}%` }} />}
    </div>
  )
}

const LEGEND = ['keyframe', 'proposed', 'accepted', 'flagged', 'absent', 'none'] as const

/** What the colours mean, with how many frames are in each state (states with no frame are left out). */
export function TimelineLegend() {
  const frames = useSequenceState((s) => s.frames)
  const counts = new Map<string, number>()
  for (const frame of frames) counts.set(frame.state, (counts.get(frame.state) ?? 0) + 1)
  return (
    <div className="timeline-legend" data-testid="timeline-legend">
      {LEGEND.filter((state) => counts.has(state)).map((state) => (
        <span key={state} className="timeline-legend__item" data-state={state} data-count={counts.get(state)}>
          <span className={`timeline-legend__swatch timeline__cell--${state}`} />
          {state === 'none' ? 'not tracked' : state} {counts.get(state)}
        </span>
      ))}
      <span className="timeline-legend__item muted">bar height: confidence</span>
    </div>
  )
}
