/**
 * Propagate: method (PerSAM or PerSAM-F), scope, maximum instances, absent threshold; then the job
 * starts. The threshold shown is the one used; unchecked, no image is marked absent. Once the
 * category has enough review decisions, the threshold can be set from a miss rate instead: the
 * highest threshold that would have missed at most that share of the objects found so far.
 */
import { useEffect, useState } from 'react'
import type { CalibrationAbsentThresholdInfo } from '../../../../common/ipc/dto/calibration'
import { DEFAULT_ABSENT_THRESHOLD } from '../../../../common/persam/confidence'
import { DEFAULT_PROPAGATION } from '../../editor/managers/JobsController'
import type { PropagationSettings } from '../../editor/state'
import { useEditor, useEditorState } from '../editorContext'
import { Modal } from './Modal'

const SCOPES: readonly { value: PropagationSettings['scope']; label: string }[] = [
  { value: 'unlabeled', label: 'Images without annotations' },
  { value: 'not-reviewed', label: 'Images not reviewed yet — replaces their proposals' },
  { value: 'all', label: 'All images — replaces proposals, keeps your decisions' },
]

export function PropagateDialog({ onClose }: { onClose: () => void }) {
  const editor = useEditor()
  const categories = useEditorState((s) => s.doc.categories)
  const activeId = useEditorState((s) => s.session.activeCategoryId)
  const last = useEditorState((s) => s.session.lastPropagation)
  const start = last ?? { ...DEFAULT_PROPAGATION, categoryId: activeId ?? categories[0]?.id ?? 0 }
  const [settings, setSettings] = useState<PropagationSettings>({ ...start, categoryId: activeId ?? start.categoryId })
  const [busy, setBusy] = useState(false)
  const category = categories.find((c) => c.id === settings.categoryId)
  const change = (patch: Partial<PropagationSettings>) => setSettings((s) => ({ ...s, ...patch }))
  const [missRatePercent, setMissRatePercent] = useState<number | null>(null)
  const [fromMissRate, setFromMissRate] = useState<CalibrationAbsentThresholdInfo | null>(null)

  useEffect(() => {
    if (missRatePercent === null) return setFromMissRate(null)
    let current = true
    void editor.calibration.absentThreshold(settings.categoryId, missRatePercent / 100).then((info) => {
      if (!current || !info) return
      setFromMissRate(info)
      if (info.threshold !== null) setSettings((s) => ({ ...s, absentThreshold: info.threshold }))
    })
    return () => {
      current = false
    }
  }, [editor, settings.categoryId, missRatePercent])

  return (
    <Modal title="Propagate to other images" onClose={onClose} testId="propagate-dialog">
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault()
          setBusy(true)
          void editor.jobs.startPropagation(settings).finally(() => setBusy(false))
        }}
      >
        <label className="field">
          <span>Category</span>
          <select value={settings.categoryId} onChange={(event) => change({ categoryId: Number(event.target.value) })} data-testid="propagate-category">
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.referenceCount} reference{c.referenceCount === 1 ? '' : 's'})
              </option>
            ))}
          </select>
        </label>
        {category && category.referenceCount === 0 ? (
          <p className="callout" data-testid="propagate-no-reference">
            “{category.name}” has no reference yet. Select one of its masks and press R (Use as reference) first.
          </p>
        ) : null}
        <fieldset className="field">
          <legend>Method</legend>
          <label>
            <input type="radio" name="method" checked={settings.method === 'persam'} onChange={() => change({ method: 'persam' })} data-testid="method-persam" /> PerSAM
            <span className="muted small"> training-free</span>
          </label>
          <label>
            <input type="radio" name="method" checked={settings.method === 'persam-f'} onChange={() => change({ method: 'persam-f' })} data-testid="method-persam-f" /> PerSAM-F
            <span className="muted small"> fits two scale weights (about a second), better on parts and scales</span>
          </label>
        </fieldset>
        <label className="field">
          <span>Images</span>
          <select value={settings.scope} onChange={(event) => change({ scope: event.target.value as PropagationSettings['scope'] })} data-testid="propagate-scope">
            {SCOPES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
          <span className="muted small" data-testid="propagate-rule">
            A propagation replaces the proposals and automatic “absent” marks that earlier runs left on these images. It never changes
            what you accepted, edited, rejected or marked absent, and the masks you accepted count towards the maximum.
          </span>
        </label>
        <label className="field">
          <span>Maximum instances per image</span>
          <input
            type="number"
            min={1}
            max={20}
            value={settings.maxInstances}
            onChange={(event) => change({ maxInstances: Math.max(1, Math.min(20, Math.round(Number(event.target.value) || 1))) })}
            data-testid="propagate-max-instances"
          />
        </label>
        <label className="field">
          <span>
            <input
              type="checkbox"
              checked={settings.absentThreshold !== null}
              onChange={(event) => {
                change({ absentThreshold: event.target.checked ? DEFAULT_ABSENT_THRESHOLD : null })
                if (!event.target.checked) setMissRatePercent(null)
              }}
              data-testid="propagate-absent-enabled"
            />{' '}
            Mark images absent below a confidence of
          </span>
          <input
            type="number"
            min={0}
            max={1}
            step={0.01}
            disabled={settings.absentThreshold === null}
            value={settings.absentThreshold ?? DEFAULT_ABSENT_THRESHOLD}
            onChange={(event) => change({ absentThreshold: Math.max(0, Math.min(1, Number(event.target.value) || 0)) })}
            data-testid="propagate-absent-threshold"
          />
        </label>
        {settings.absentThreshold !== null ? (
          <label className="field">
            <span>
              <input
                type="checkbox"
                checked={missRatePercent !== null}
                onChange={(event) => setMissRatePercent(event.target.checked ? 5 : null)}
                data-testid="propagate-miss-rate-enabled"
              />{' '}
              Set it for a miss rate of (%)
            </span>
            <input
              type="number"
              min={0}
              max={50}
              step={1}
              disabled={missRatePercent === null}
              value={missRatePercent ?? 5}
              onChange={(event) => setMissRatePercent(Math.max(0, Math.min(50, Number(event.target.value) || 0)))}
              data-testid="propagate-miss-rate"
            />
            {fromMissRate ? (
              <span className="muted small" data-testid="propagate-miss-rate-result">
                {fromMissRate.threshold === null
                  ? `Needs more review decisions of this category (${fromMissRate.decisions} so far, with good and bad ones).`
                  : `Threshold ${fromMissRate.threshold.toFixed(2)}: of the ${fromMissRate.present} objects found among ${fromMissRate.decisions} review decisions, it would have missed ${fromMissRate.missed}.`}
              </span>
            ) : null}
          </label>
        ) : null}
        <div className="row end">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !category} data-testid="propagate-start">
            Propagate
          </button>
        </div>
      </form>
    </Modal>
  )
}
