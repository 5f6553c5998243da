/**
 * Inside the inference worker: opens the encoder and decoder sessions of a model pair with the
 * provider fallback, recognises their flavour from the sessions' inputs and outputs, checks it
 * against the manifest, and turns every failure into an error that names the file.
 */
import { stat } from 'node:fs/promises'
import * as ort from 'onnxruntime-node'
import { detectDecoder, detectEncoder, type DecoderIo, type EncoderIo, type ModelIo } from '../../../common/sam/flavour'
import { SAM_FEATURES, SAM_GRID, SAM_LOW_RES } from '../../../common/sam/geometry'
import { createSessionWithFallback } from './providers'
import type { LoadConfig, LoadedModelInfo, SessionInfo } from './protocol'

export interface OpenSession<Io> extends SessionInfo<Io> {
  readonly session: ort.InferenceSession
}

export interface LoadedModel {
  readonly info: LoadedModelInfo
  readonly encoder: OpenSession<EncoderIo>
  readonly decoder: OpenSession<DecoderIo>
  readonly persamDecoder: OpenSession<DecoderIo> | null
}

function sessionIo(session: ort.InferenceSession): ModelIo {
  const describe = (metadata: readonly ort.InferenceSession.ValueMetadata[]) =>
    metadata.map((value) => (value.isTensor ? { name: value.name, type: value.type, shape: value.shape } : { name: value.name }))
  return { inputs: describe(session.inputMetadata), outputs: describe(session.outputMetadata) }
}

function explainLoadFailure(message: string): string {
  if (/protobuf parsing failed|failed to load model|invalid model|ModelProto|graph is not|cannot parse/i.test(message)) {
    return `not a valid ONNX model, or a truncated one (${message})`
  }
  return message
}

async function openSession(file: string, role: string, config: LoadConfig, threads: number): Promise<{ session: ort.InferenceSession; info: Omit<SessionInfo<never>, 'io'> }> {
  try {
    const stats = await stat(file)
    if (!stats.isFile()) throw new Error('not a file')
  } catch (error) {
    throw new Error(`${role} ${file}: model file not found (${error instanceof Error ? error.message : String(error)})`)
  }
  try {
    const { session, report } = await createSessionWithFallback(file, config.providers, { intraOpThreads: threads }, (path, options) =>
      ort.InferenceSession.create(path, options),
    )
    return { session, info: { file, providers: report } }
  } catch (error) {
    const attempts = (error as { attempts?: { error?: string }[] }).attempts
    const reason = attempts?.at(-1)?.error ?? (error instanceof Error ? error.message : String(error))
    throw new Error(`${role} ${file}: ${explainLoadFailure(reason)}`)
  }
}

function withFile<T>(file: string, role: string, detect: () => T): T {
  try {
    return detect()
  } catch (error) {
    throw new Error(`${role} ${file}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** Runs the decoder once on zeros to learn how many masks it returns (when the output shapes are symbolic). */
export async function probeMaskCount(session: ort.InferenceSession, io: DecoderIo): Promise<number> {
  const feeds: Record<string, ort.Tensor> = {
    image_embeddings: new ort.Tensor('float32', new Float32Array(SAM_FEATURES * SAM_GRID * SAM_GRID), [1, SAM_FEATURES, SAM_GRID, SAM_GRID]),
    point_coords: new ort.Tensor('float32', new Float32Array([10, 10, 0, 0]), [1, 2, 2]),
    point_labels: new ort.Tensor('float32', new Float32Array([1, -1]), [1, 2]),
    mask_input: new ort.Tensor('float32', new Float32Array(SAM_LOW_RES * SAM_LOW_RES), [1, 1, SAM_LOW_RES, SAM_LOW_RES]),
    has_mask_input: new ort.Tensor('float32', new Float32Array([0]), [1]),
    orig_im_size: new ort.Tensor('float32', new Float32Array([16, 16]), [2]),
  }
  if (io.persamInputs) {
    feeds[io.persamInputs.attnSim] = new ort.Tensor('float32', new Float32Array(SAM_GRID * SAM_GRID), [1, 1, 1, SAM_GRID * SAM_GRID])
    feeds[io.persamInputs.targetEmbedding] = new ort.Tensor('float32', new Float32Array(SAM_FEATURES), [1, 1, SAM_FEATURES])
  }
  const outputs = await session.run(feeds)
  return outputs.iou_predictions?.dims[1] ?? 0
}

async function openDecoder(file: string, role: string, config: LoadConfig): Promise<OpenSession<DecoderIo>> {
  const { session, info } = await openSession(file, role, config, config.decoderThreads)
  try {
    const detected = withFile(file, role, () => detectDecoder(sessionIo(session), config.model.persamInputs ?? undefined))
    const maskCount = detected.maskCount ?? (await probeMaskCount(session, detected))
    return { session, ...info, io: { ...detected, maskCount } }
  } catch (error) {
    await session.release()
    throw error
  }
}

export async function loadModelPair(config: LoadConfig): Promise<LoadedModel> {
  const { model } = config
  const opened: ort.InferenceSession[] = []
  try {
    const encoderSession = await openSession(model.encoderFile, 'encoder', config, config.encoderThreads)
    opened.push(encoderSession.session)
    const encoderIo = withFile(model.encoderFile, 'encoder', () => {
      const io = detectEncoder(sessionIo(encoderSession.session), model.encoderInputName)
      if (model.encoderInput && model.encoderInput !== io.flavour) {
        throw new Error(`the manifest says encoderInput "${model.encoderInput}" but the model's input ${io.inputName} is "${io.flavour}"`)
      }
      return io
    })
    const decoder = await openDecoder(model.decoderFile, 'decoder', config)
    opened.push(decoder.session)
    const persamDecoder = model.persamDecoderFile ? await openDecoder(model.persamDecoderFile, 'PerSAM decoder', config) : null
    if (persamDecoder) opened.push(persamDecoder.session)

    if (persamDecoder && !persamDecoder.io.persamInputs) throw new Error(`PerSAM decoder ${persamDecoder.file}: it has no attn_sim/target_embedding inputs`)
    const maskCount = decoder.io.maskCount ?? 0
    if (model.maskCount !== undefined && model.maskCount !== maskCount) {
      throw new Error(`decoder ${decoder.file}: the manifest says ${model.maskCount} masks but the decoder returns ${maskCount}`)
    }
    if (persamDecoder && persamDecoder.io.maskCount !== maskCount) {
      throw new Error(`PerSAM decoder ${persamDecoder.file}: returns ${persamDecoder.io.maskCount} masks, the decoder ${maskCount}`)
    }
    const encoder: OpenSession<EncoderIo> = { session: encoderSession.session, ...encoderSession.info, io: encoderIo }
    const strip = <Io>({ file, io, providers }: OpenSession<Io>): SessionInfo<Io> => ({ file, io, providers })
    return {
      encoder,
      decoder,
      persamDecoder,
      info: { id: model.id, encoder: strip(encoder), decoder: strip(decoder), persamDecoder: persamDecoder ? strip(persamDecoder) : null, maskCount },
    }
  } catch (error) {
    await Promise.all(opened.map((session) => session.release()))
    throw error
  }
}

export async function releaseModel(model: LoadedModel): Promise<void> {
  await Promise.all([model.encoder.session.release(), model.decoder.session.release(), model.persamDecoder?.session.release()])
}
