/** The keyboard map (from editor/keymap.ts, the table the editor routes with) and the pointer gestures. */
import { GESTURES, SHORTCUTS, type ShortcutGroup } from '../editor/keymap'
import { Modal } from './dialogs/Modal'

const GROUPS: readonly ShortcutGroup[] = ['Tools', 'Segment', 'Edit', 'Propagate and review', 'Navigate', 'View']

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keyboard and mouse" onClose={onClose} testId="help-overlay" wide>
      <div className="help">
        {GROUPS.map((group) => (
          <section key={group} className="help__group">
            <h3>{group}</h3>
            <table>
              <tbody>
                {GESTURES.filter((g) => g.group === group).map((gesture) => (
                  <tr key={gesture.keys}>
                    <td>
                      <kbd>{gesture.keys}</kbd>
                    </td>
                    <td>{gesture.label}</td>
                  </tr>
                ))}
                {SHORTCUTS.filter((s) => s.group === group).map((shortcut) => (
                  <tr key={`${shortcut.command}:${shortcut.keys.join()}`}>
                    <td>
                      {shortcut.keys.map((key) => (
                        <kbd key={key}>{key}</kbd>
                      ))}
                    </td>
                    <td>
                      {shortcut.label}
                      {shortcut.when === 'review' ? <span className="muted"> (review)</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
    </Modal>
  )
}
