/** The keyboard map (from editor/keymap.ts, the table the editor routes with) and the pointer gestures. */
import { GESTURES, SHORTCUTS, type ShortcutGroup } from '../editor/keymap'
import { Modal } from './dialogs/Modal'

const GROUPS: readonly ShortcutGroup[] = ['Tools', 'Segment', 'Edit', 'Propagate and review', 'Navigate', 'View']

/** Keys as printed on keyboards; the table keeps the names KeyboardEvent.key uses. */
const KEY_LABELS: Readonly<Record<string, string>> = { ArrowRight: '→', ArrowLeft: '←', Escape: 'Esc' }

function Keys({ keys }: { keys: readonly string[] }) {
  return (
    <span className="help__keys">
      {keys.map((key) => (
        <kbd key={key}>{KEY_LABELS[key] ?? key}</kbd>
      ))}
    </span>
  )
}

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keyboard and mouse" onClose={onClose} testId="help-overlay" wide>
      <div className="help">
        {GROUPS.map((group) => (
          <section key={group} className="help__group">
            <h3>{group}</h3>
            {GESTURES.filter((g) => g.group === group).map((gesture) => (
              <div key={gesture.keys} className="help__row">
                <Keys keys={gesture.keys.split(' / ')} />
                <span>{gesture.label}</span>
              </div>
            ))}
            {SHORTCUTS.filter((s) => s.group === group).map((shortcut) => (
              <div key={`${shortcut.command}:${shortcut.keys.join()}`} className="help__row">
                <Keys keys={shortcut.keys} />
                <span>
                  {shortcut.label}
                  {shortcut.when === 'review' ? <span className="muted"> (review)</span> : null}
                </span>
              </div>
            ))}
          </section>
        ))}
      </div>
    </Modal>
  )
}
