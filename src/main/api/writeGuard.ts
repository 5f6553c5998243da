/**
 * The channels that change the open project. In a read-only session (opened read-only, or its
 * file failed the open-time check) each is refused with a 'read-only' error saying why, before
 * its handler runs; each also waits for that check, so nothing is written to a damaged file.
 * A channel added here is guarded; a new writing channel must be listed.
 */
import type { InvokeChannel } from '../../common/ipc/contract'
import type { StudioContext } from './context'
import type { Handler, Handlers } from './dispatch'

export const WRITE_CHANNELS = [
  'category:create',
  'category:update',
  'category:delete',
  'segment:commit',
  'annotation:stroke',
  'annotation:review',
  'annotation:markImageAbsent',
  'annotation:setReference',
  'annotation:setCategory',
  'history:undo',
  'history:redo',
  'propagation:start',
  'exchange:import',
  // The histogram refits and stores the category's calibration model.
  'calibration:histogram',
  'calibration:acceptAll',
  'sequence:importVideo',
  'sequence:importFrames',
] as const satisfies readonly InvokeChannel[]

export function guardWrites(handlers: Handlers, context: StudioContext): Handlers {
  const guarded: Record<string, unknown> = { ...handlers }
  for (const channel of WRITE_CHANNELS) {
    const handler = handlers[channel] as Handler<typeof channel>
    guarded[channel] = async (request: never, call: never) => {
      await context.assertWritable()
      return handler(request, call)
    }
  }
  return guarded as Handlers
}
