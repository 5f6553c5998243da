/** The installed models: which one is in use, switch to another, remove one. */
import { useEditor, useEditorState } from '../editorContext'
import { formatSize } from '../../../../common/util/formatSize'
import { MODEL_LOAD_LABELS } from '../workspace/labels'
import { ActionStatus } from './ActionStatus'
import { ModelDetails } from './ModelCatalog'

export function InstalledModels() {
  const editor = useEditor()
  const installed = useEditorState((s) => s.doc.core.installedModels)
  const model = useEditorState((s) => s.doc.core.model)
  const actions = useEditorState((s) => s.session.modelActions)

  return (
    <section className="models__section" data-testid="installed-models">
      <h3>Installed</h3>
      {installed === null ? <p className="muted small">The installed models could not be read.</p> : null}
      <ul className="plain-list models__list">
        {installed?.map((entry) => {
          const inUse = entry.id === model?.activeModelId
          return (
            <li key={entry.id} className="model-row" data-testid="installed-model" data-model-id={entry.id}>
              <div className="model-row__main">
                <span className="model-row__name" data-testid="model-name">
                  {entry.name}
                </span>
                {inUse ? <span className="badge badge--accepted">in use{model ? ` · ${MODEL_LOAD_LABELS[model.loadState]}` : ''}</span> : null}
                {entry.isToy ? (
                  <span className="badge badge--to-review" title="A tiny model for trying the studio: every step works, the masks are rough.">
                    toy
                  </span>
                ) : null}
                <span className="muted small">
                  <code data-testid="model-id">{entry.id}</code> · <span data-testid="model-size">{entry.sizeBytes > 0 ? formatSize(entry.sizeBytes) : 'bundled'}</span> ·{' '}
                  {entry.hasPersamDecoder ? 'full propagation' : 'propagation a little less precise (no PerSAM decoder)'}
                </span>
                <ModelDetails licence={entry.licence} />
              </div>
              <div className="row">
                {!inUse ? (
                  <button type="button" className="small" disabled={actions[`select:${entry.id}`]?.pending} onClick={() => void editor.models.select(entry.id)} data-testid="model-use">
                    Use
                  </button>
                ) : null}
                {!entry.isToy ? (
                  <button type="button" className="small danger" disabled={actions[`remove:${entry.id}`]?.pending} onClick={() => void editor.models.remove(entry.id)} data-testid="model-remove">
                    Remove
                  </button>
                ) : null}
              </div>
              <ActionStatus actionKey={`select:${entry.id}`} />
              <ActionStatus actionKey={`remove:${entry.id}`} />
            </li>
          )
        })}
      </ul>
    </section>
  )
}
