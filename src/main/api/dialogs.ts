/**
 * What a host may offer beyond the contract: native dialogs exist only in the desktop app (the
 * Electron host implements this in src/main/electron/dialogs.ts); other hosts leave it out.
 * Kept in its own module so the context and the handlers both import it without importing each other.
 */
export interface DialogService {
  pickPath(kind: 'folder' | 'open-file' | 'save-file', title: string, defaultName?: string): Promise<string | null>
}
