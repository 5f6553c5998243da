/** The replica decoder's bytes, generated from scratch (widths in config.ts, weights in weights.ts). */
import { encodeModel } from '../../src/main/services/onnx/graphBuilder'
import { REPLICA_SEED, REPLICA_WIDTHS, type ReplicaWidths } from './config'
import { buildReplicaDecoder } from './graphDecoder'
import { replicaWeights } from './weights'

export function replicaDecoderBytes(widths: ReplicaWidths = REPLICA_WIDTHS, seed = REPLICA_SEED): Uint8Array {
  const model = buildReplicaDecoder(replicaWeights(widths, seed)).build({
    producerName: 'persam-studio gen:replica-decoder',
    producerVersion: '1',
    docString: 'Structural replica of the official SAM decoder export (torch.onnx, opset 17) with reduced internal widths and seeded random weights. Not a trained model.',
  })
  return encodeModel(model)
}
