/** The only place that touches ipcMain: one handler per contract channel, all through dispatch. */
import { ipcMain, type WebContents } from 'electron'
import { invokeChannelNames } from '../../common/ipc/contract'
import { fail } from '../../common/ipc/result'
import type { Dispatch } from '../api/dispatch'
import type { EventHub } from '../api/events'
import { isTrustedSenderUrl } from '../security/navigation'

export function registerIpc(dispatch: Dispatch, appOrigin: string): () => void {
  for (const channel of invokeChannelNames) {
    ipcMain.handle(channel, (event, payload: unknown) => {
      if (!isTrustedSenderUrl(event.senderFrame?.url, appOrigin)) {
        return fail('unauthorized', `"${channel}" called from an untrusted frame`)
      }
      return dispatch(channel, payload, { transport: 'electron' })
    })
  }
  return () => {
    for (const channel of invokeChannelNames) ipcMain.removeHandler(channel)
  }
}

export function forwardEvents(events: EventHub, target: WebContents): () => void {
  return events.subscribe((event, payload) => {
    if (!target.isDestroyed()) target.send(event, payload)
  })
}
