/**
 * The sequence view under the canvas: open one of the project's sequences, track the active
 * category through it, and walk its frames (play, pause, scrub, frame step, next flagged, review
 * in frame order). The canvas above shows the current frame with its masks and the usual tools.
 */
import { useEffect, useState } from 'react'
import { useEditor, useEditorState } from '../editorContext'
import { TimelineLegend, TimelineStrip } from './TimelineStrip'
import { useSequenceState } from './useSequence'
import './sequence.css'

export function SequencePanel() {
  const editor = useEditor()
  const projectDir = useEditorState((s) => s.doc.project?.projectDir ?? null)
  const sequences = useSequenceState((s) => s.sequences)
  const sequence = useSequenceState((s) => s.sequence)
  const [choice, setChoice] = useState<number | null>(null)

  useEffect(() => editor.sequence.attach(), [editor])
  useEffect(() => {
    if (projectDir) void editor.sequence.loadSequences()
  }, [editor, projectDir])

  if (!sequences || sequences.length === 0) return null
  if (!sequence) {
    const selected = choice ?? sequences[0]!.id
    return (
      <div className="sequence-bar" data-testid="sequence-panel">
        <label>
          Sequence{' '}
          <select data-testid="sequence-select" value={selected} onChange={(event) => setChoice(Number(event.target.value))}>
            {sequences.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.frameCount} frames)
              </option>
            ))}
          </select>
        </label>
        <button type="button" data-testid="sequence-open" onClick={() => void editor.sequence.open(selected)}>
          Open sequence
        </button>
      </div>
    )
  }
  return (
    <div className="sequence-view" data-testid="sequence-panel" data-sequence-id={sequence.id}>
      <SequenceControls />
      <TimelineStrip />
      <TimelineLegend />
    </div>
  )
}

function SequenceControls() {
  const editor = useEditor()
  const sequence = useSequenceState((s) => s.sequence)!
  const frames = useSequenceState((s) => s.frames)
  const current = useSequenceState((s) => s.current)
  const playing = useSequenceState((s) => s.playing)
  const categoryId = useSequenceState((s) => s.categoryId)
  const trackingJobId = useSequenceState((s) => s.trackingJobId)
  const categories = useEditorState((s) => s.doc.categories)
  const job = useEditorState((s) => s.session.jobs.find((j) => j.id === trackingJobId) ?? null)
  const running = job !== null && (job.state === 'running' || job.state === 'queued')
  const flagged = frames.filter((f) => f.state === 'flagged').length
  return (
    <div className="sequence-controls">
      <strong className="sequence-controls__name">{sequence.name}</strong>
      <select aria-label="Category to track" value={categoryId ?? ''} onChange={(event) => void editor.sequence.setCategory(Number(event.target.value))}>
        {categories.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <button type="button" data-testid="sequence-track" disabled={running || categoryId === null} onClick={() => void editor.sequence.track()}>
        Track
      </button>
      <span className="sequence-controls__sep" />
      <button type="button" data-testid="sequence-step-prev" title="Previous frame (,)" onClick={() => void editor.sequence.step(-1)}>
        ◀
      </button>
      <button type="button" data-testid="sequence-play" title="Play or pause (K)" onClick={() => editor.sequence.togglePlay()}>
        {playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" data-testid="sequence-step-next" title="Next frame (.)" onClick={() => void editor.sequence.step(1)}>
        ▶
      </button>
      <span data-testid="sequence-frame-label" data-frame={current}>
        Frame {current + 1} / {frames.length}
      </span>
      <button type="button" data-testid="sequence-next-flagged" title="Next flagged frame (N)" disabled={flagged === 0} onClick={() => void editor.sequence.nextFlagged()}>
        Next flagged ({flagged})
      </button>
      <button type="button" data-testid="sequence-accept-frame" title="Accept this frame's proposals and go to the next frame to review" onClick={() => void editor.sequence.decide('accept')}>
        Accept frame
      </button>
      <button type="button" data-testid="sequence-reject-frame" onClick={() => void editor.sequence.decide('reject')}>
        Reject frame
      </button>
      {job && (
        <span className="sequence-controls__progress" data-testid="sequence-progress" data-job-id={job.id} data-state={job.state} data-done={job.done} data-total={job.total}>
          {running ? `Tracking… ${Math.round((100 * job.done) / Math.max(1, job.total))}%` : job.state === 'done' ? 'Tracked' : `Tracking ${job.state}${job.error ? `: ${job.error}` : ''}`}
        </span>
      )}
      <button type="button" className="sequence-controls__close" onClick={() => editor.sequence.close()}>
        Close
      </button>
    </div>
  )
}
