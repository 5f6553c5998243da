import { dialog, type BrowserWindow } from 'electron'
import type { DialogService } from '../api/dialogs'

/** Native pickers, attached to the studio window so they are modal to it. */
export function electronDialogs(window: () => BrowserWindow | null): DialogService {
  return {
    async pickPath(kind, title, defaultName) {
      const parent = window()
      if (kind === 'save-file') {
        const options = { title, defaultPath: defaultName }
        const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options)
        return result.canceled ? null : (result.filePath ?? null)
      }
      const options = { title, properties: [kind === 'folder' ? ('openDirectory' as const) : ('openFile' as const)] }
      const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options)
      return result.canceled ? null : (result.filePaths[0] ?? null)
    },
  }
}
