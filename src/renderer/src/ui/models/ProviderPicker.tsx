/**
 * Which execution provider runs the model: 'auto' or one the machine offers (model:providers,
 * with the reason a provider is unavailable), the one asked for, and the one actually running.
 */
import { EXECUTION_PROVIDERS } from '../../../../common/ipc/types'
import { useEditor, useEditorState } from '../editorContext'
import { ActionStatus } from './ActionStatus'
import { PROVIDER_NAMES } from './providerNames'

export function ProviderPicker() {
  const editor = useEditor()
  const model = useEditorState((s) => s.doc.core.model)
  const providers = useEditorState((s) => s.doc.core.providers)
  const pending = useEditorState((s) => s.session.modelActions.provider?.pending ?? false)
  const requested = model?.requestedProvider ?? 'auto'
  const availability = new Map(providers?.map((p) => [p.name, p]) ?? [])

  return (
    <section className="models__section" data-testid="provider-picker">
      <h3>Runs on</h3>
      <p className="muted small">
        The processor that computes the masks. Running now:{' '}
        <strong data-testid="active-provider">{model?.activeProvider ?? (model?.loadState === 'loading' ? 'loading…' : 'none yet (the model loads on first use)')}</strong>
      </p>
      <div className="models__providers" role="radiogroup" aria-label="Runs on">
        {EXECUTION_PROVIDERS.map((name) => {
          const info = name === 'auto' ? null : availability.get(name)
          const available = name === 'auto' || (info ? info.available : name === 'cpu')
          const reason = name === 'auto' ? 'the best available here, then the CPU' : info ? info.reason : 'not reported by the studio'
          const running = model?.activeProvider === name
          return (
            <label key={name} className={`provider${available ? '' : ' provider--unavailable'}`} data-testid={`provider-${name}`} data-available={available}>
              <input
                type="radio"
                name="provider"
                checked={requested === name}
                disabled={!available || pending}
                onChange={() => void editor.models.setProvider(name)}
              />
              <span className="provider__name">{PROVIDER_NAMES[name]}</span>
              {running ? <span className="badge badge--accepted">running</span> : null}
              {!available || name === 'auto' ? <span className="muted small provider__reason">{reason}</span> : null}
            </label>
          )
        })}
      </div>
      {model?.attempts.filter((a) => !a.ok).map((attempt) => (
        <p key={attempt.provider} className="muted small" data-testid="provider-attempt">
          {PROVIDER_NAMES[attempt.provider as keyof typeof PROVIDER_NAMES] ?? attempt.provider} could not run the model: {attempt.error}
        </p>
      ))}
      <ActionStatus actionKey="provider" />
    </section>
  )
}
