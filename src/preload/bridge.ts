/**
 * Builds `window.studio` from the contract: only contract channels are forwarded, and listeners
 * receive the payload alone (never Electron's event object, which would leak `sender`).
 */
import type { IpcRenderer, IpcRendererEvent } from 'electron'
import type { StudioBridge } from '../common/ipc/bridge'
import { isEventChannel, isInvokeChannel } from '../common/ipc/contract'
import { fail } from '../common/ipc/result'

export type BridgeIpc = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>

export function createBridge(ipc: BridgeIpc): StudioBridge {
  return Object.freeze({
    invoke(channel: string, payload: unknown) {
      if (!isInvokeChannel(channel)) {
        return Promise.resolve(fail('unknown-channel', `"${String(channel)}" is not a studio channel`))
      }
      return ipc.invoke(channel, payload)
    },
    on(event: string, listener: (payload: unknown) => void) {
      if (!isEventChannel(event)) throw new Error(`"${String(event)}" is not a studio event`)
      const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload)
      ipc.on(event, forward)
      return () => {
        ipc.removeListener(event, forward)
      }
    },
  })
}
