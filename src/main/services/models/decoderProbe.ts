/**
 * The decoder's mask count when its output shapes are symbolic: one CPU run on zeros (the same
 * probe the runtime uses). Only decoders are probed, and they are small (8–17 MB).
 */
import * as ort from 'onnxruntime-node'
import type { DecoderIo } from '../../../common/sam/flavour'
import { probeMaskCount } from '../sam/modelSessions'
import { sessionOptions } from '../sam/providers'

export async function probeDecoderMaskCount(file: string, io: DecoderIo): Promise<number> {
  const session = await ort.InferenceSession.create(file, sessionOptions('cpu', { intraOpThreads: 1 }))
  try {
    return await probeMaskCount(session, io)
  } finally {
    await session.release()
  }
}
