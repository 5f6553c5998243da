/** The typed face of the transport: the only module the rest of the renderer calls. */
import type { EventChannel, EventPayloadOf, InvokeChannel, RequestOf, ResponseOf } from '../../../common/ipc/contract'
import { StudioError } from '../../../common/ipc/result'
import type { ConnectionState, Transport } from './transport'

export class StudioClient {
  constructor(private readonly transport: Transport) {}

  get transportKind(): Transport['kind'] {
    return this.transport.kind
  }

  async call<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    const result = await this.transport.invoke(channel, request)
    if (!result.ok) throw StudioError.fromData(result.error)
    return result.value as ResponseOf<C>
  }

  on<E extends EventChannel>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void {
    return this.transport.on(event, (payload) => listener(payload as EventPayloadOf<E>))
  }

  onConnection(listener: (state: ConnectionState) => void): () => void {
    return this.transport.onConnection(listener)
  }
}
