/**
 * A model's identity across machines: the SHA-256 over the SHA-256 of each of its files (encoder,
 * decoder, PerSAM decoder). Two workers with the same id but different files get different shas,
 * so they listen on different task queues.
 */
import { createHash } from 'node:crypto'
import { fileSha256 } from '../sam/contentHash'
import { resolveModelSource, type ModelSource } from '../sam/modelSource'

export interface ModelFingerprint {
  readonly id: string
  readonly sha: string
}

export async function modelFingerprint(source: ModelSource): Promise<ModelFingerprint> {
  const { spec } = await resolveModelSource(source)
  const hash = createHash('sha256')
  for (const [role, file] of [['encoder', spec.encoderFile], ['decoder', spec.decoderFile], ['persamDecoder', spec.persamDecoderFile]] as const) {
    if (file) hash.update(`${role}:${await fileSha256(file)}\n`)
  }
  return { id: spec.id, sha: hash.digest('hex') }
}
