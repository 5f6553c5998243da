/**
 * Import a video or a folder of frames as one sequence. For a video the dialog shows what the
 * file holds (duration, frame rate, size, frames) and how many frames the chosen sampling will
 * extract, before anything is written; the import then runs as a background job with progress.
 */
import { useEffect, useState } from 'react'
import type { FrameSampling, VideoProbeInfo } from '../../../../common/ipc/dto/video'
import { describeError } from '../../editor/api'
import { useEditor, useEditorState } from '../editorContext'
import { PathField } from '../PathField'

export type SequenceSourceKind = 'video' | 'frames'

const VIDEO_EXTENSIONS = ['.mp4', '.mov', '.m4v', '.webm', '.mkv', '.avi']
type SamplingChoice = 'native' | 'fps' | 'every'

interface SequenceImportReport {
  readonly name: string
  readonly frames: number
  readonly newImages: number
  readonly folder: string
}

/** The sampling the inputs describe, or null while a number is not valid. */
function samplingOf(choice: SamplingChoice, fps: string, every: string): FrameSampling | null {
  if (choice === 'native') return 'native'
  const value = Number(choice === 'fps' ? fps : every)
  if (!(Number.isFinite(value) && value > 0)) return null
  if (choice === 'fps') return { fps: value }
  return Number.isInteger(value) ? { everyNth: value } : null
}

const seconds = (ms: number): string => (ms >= 60_000 ? `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s` : `${(ms / 1000).toFixed(1)} s`)

/** Probes the video (debounced) whenever the path or the sampling changes. */
function useVideoProbe(path: string, sampling: FrameSampling | null): { probe: VideoProbeInfo | null; error: string | null } {
  const editor = useEditor()
  const [state, setState] = useState<{ probe: VideoProbeInfo | null; error: string | null }>({ probe: null, error: null })
  const key = JSON.stringify(sampling)
  useEffect(() => {
    const file = path.trim()
    if (!file || !sampling) return setState({ probe: null, error: null })
    let current = true
    const timer = setTimeout(() => {
      editor.api.call('sequence:probe', { path: file, sampling }).then(
        (probe) => current && setState({ probe, error: null }),
        (error: unknown) => current && setState({ probe: null, error: describeError(error) }),
      )
    }, 250)
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [editor, path, key]) // `key` stands for the sampling object
  return state
}

export function SequenceImportForm({ source, onClose }: { source: SequenceSourceKind; onClose: () => void }) {
  const editor = useEditor()
  const [path, setPath] = useState('')
  const [name, setName] = useState('')
  const [choice, setChoice] = useState<SamplingChoice>('native')
  const [fps, setFps] = useState(source === 'video' ? '5' : '')
  const [every, setEvery] = useState('5')
  const [jobId, setJobId] = useState<string | null>(null)
  const [startError, setStartError] = useState<string | null>(null)
  const job = useEditorState((s) => s.session.jobs.find((j) => j.id === jobId) ?? null)
  const running = job !== null && (job.state === 'running' || job.state === 'queued')
  const report = job?.state === 'done' ? (job.report as SequenceImportReport | null) : null
  const sampling = source === 'video' ? samplingOf(choice, fps, every) : 'native'
  const { probe, error: probeError } = useVideoProbe(source === 'video' ? path : '', source === 'video' ? sampling : null)
  const frameRate = fps.trim() === '' ? undefined : Number(fps)
  const fpsValid = frameRate === undefined || (Number.isFinite(frameRate) && frameRate > 0)
  const ready = path.trim() !== '' && !running && (source === 'video' ? sampling !== null && probe !== null : fpsValid)

  const start = async () => {
    setStartError(null)
    const optionalName = name.trim() ? { name: name.trim() } : {}
    try {
      const started =
        source === 'video'
          ? await editor.api.call('sequence:importVideo', { path: path.trim(), sampling: sampling!, ...optionalName })
          : await editor.api.call('sequence:importFrames', { folder: path.trim(), ...optionalName, ...(frameRate !== undefined ? { fps: frameRate } : {}) })
      setJobId(started.id)
      editor.jobs.track(started)
    } catch (error) {
      setStartError(describeError(error))
    }
  }

  return (
    <form
      className="stack"
      data-testid="sequence-import"
      onSubmit={(event) => {
        event.preventDefault()
        if (ready) void start()
      }}
    >
      <label className="field">
        <span>{source === 'video' ? 'Video file' : 'Frames folder'}</span>
        <PathField key={source} kind={source === 'video' ? 'open-file' : 'folder'} title={source === 'video' ? 'Video to import' : 'Folder of frames'} value={path} onChange={setPath} fileExtensions={VIDEO_EXTENSIONS} testId="sequence-path" />
      </label>
      {source === 'video' ? (
        <fieldset className="field">
          <legend>Frames</legend>
          <label>
            <input type="radio" name="sequence-sampling" checked={choice === 'native'} onChange={() => setChoice('native')} data-testid="sampling-native" /> Every frame
          </label>
          <label>
            <input type="radio" name="sequence-sampling" checked={choice === 'fps'} onChange={() => setChoice('fps')} data-testid="sampling-fps" /> At most{' '}
            <input type="number" min="0.01" step="any" style={{ width: '5em' }} value={fps} onChange={(e) => setFps(e.target.value)} aria-label="frames per second" data-testid="sampling-fps-value" /> frames per second
          </label>
          <label>
            <input type="radio" name="sequence-sampling" checked={choice === 'every'} onChange={() => setChoice('every')} data-testid="sampling-every" /> Every{' '}
            <input type="number" min="1" step="1" style={{ width: '5em' }} value={every} onChange={(e) => setEvery(e.target.value)} aria-label="every Nth frame" data-testid="sampling-every-value" />
            th frame
          </label>
        </fieldset>
      ) : (
        <label className="field">
          <span>Frame rate (optional: gives the frames timestamps)</span>
          <input type="number" min="0.01" step="any" value={fps} onChange={(e) => setFps(e.target.value)} placeholder="e.g. 30" data-testid="frames-fps" />
        </label>
      )}
      <label className="field">
        <span>Sequence name (optional)</span>
        <input type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder={source === 'video' ? 'the video’s name' : 'the folder’s name'} data-testid="sequence-name" />
      </label>
      {probe ? (
        <p className="muted small" data-testid="video-probe" data-frames={probe.frameCount} data-extract={probe.framesToExtract}>
          {seconds(probe.durationMs)} · {probe.fps.toFixed(2)} fps · {probe.width}×{probe.height} · {probe.frameCount} frames → <strong>{probe.framesToExtract}</strong> to extract, into a folder next to the video
        </p>
      ) : null}
      {running ? (
        <p data-testid="sequence-progress" data-done={job.done} data-total={job.total}>
          {source === 'video' ? 'Extracting frames…' : 'Importing frames…'} {job.total > 0 ? `${Math.round((100 * job.done) / job.total)}%` : ''}
          <progress max={Math.max(job.total, 1)} value={job.done} />
          <button type="button" className="small" onClick={() => void editor.jobs.cancel(job.id)} data-testid="sequence-cancel">
            Cancel
          </button>
        </p>
      ) : null}
      {probeError || startError || job?.state === 'failed' ? (
        <p className="error-text" data-testid="sequence-error">
          {startError ?? job?.error?.message ?? probeError}
        </p>
      ) : null}
      {job?.state === 'cancelled' ? <p className="muted">Cancelled; nothing was imported.</p> : null}
      {report ? (
        <p className="summary" data-testid="sequence-summary" data-frames={report.frames}>
          Imported sequence <strong>{report.name}</strong>: {report.frames} frames ({report.newImages} new images) from <code>{report.folder}</code>.
        </p>
      ) : null}
      <div className="row end">
        <button type="button" onClick={onClose}>
          {report ? 'Done' : 'Close'}
        </button>
        <button type="submit" className="primary" disabled={!ready} data-testid="sequence-start">
          Import
        </button>
      </div>
    </form>
  )
}
