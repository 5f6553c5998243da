/**
 * Inside the inference worker: turns encode and decode jobs into feeds for the detected flavour,
 * runs the sessions and checks the output shapes. The pure parts (normalisation, prompt encoding,
 * mask upscaling) come from src/common/sam.
 */
import * as ort from 'onnxruntime-node'
import { SAM_CANVAS, SAM_FEATURES, SAM_GRID, SAM_LOW_RES } from '../../../common/sam/geometry'
import { encodeRle, encodeRleScaled, type CocoRle } from '../../../common/mask'
import type { Size } from '../../../common/sam/geometry'
import { EMBEDDING_LENGTH, LOW_RES_PLANE, type MaskOutput, type MaskPayload } from '../../../common/sam/port'
import { fuseMultimask, maskExtents, thresholdLogits, upscaleLogitsToMask } from '../../../common/sam/postprocess'
import { normalizeToCanvas, toHwcFloat } from '../../../common/sam/preprocess'
import { encodePrompt } from '../../../common/sam/prompts'
import type { LoadedModel, OpenSession } from './modelSessions'
import type { DecodeJob, DecodeReply, EncodeJob, EncodeReply } from './protocol'
import type { DecoderIo } from '../../../common/sam/flavour'


/** One reusable 12 MiB input canvas per worker (onnxruntime does not keep the input after run()). */
let canvas: Float32Array | null = null

function encoderFeed(model: LoadedModel, job: EncodeJob): ort.Tensor {
  const { width, height, rgb } = job
  switch (model.encoder.io.flavour) {
    case 'nchw-normalized-1024':
      canvas ??= new Float32Array(3 * SAM_CANVAS * SAM_CANVAS)
      return new ort.Tensor('float32', normalizeToCanvas(rgb, width, height, canvas), [1, 3, SAM_CANVAS, SAM_CANVAS])
    case 'hwc-float-longest-1024':
      return new ort.Tensor('float32', toHwcFloat(rgb, width, height), [height, width, 3])
    case 'hwc-uint8-longest-1024':
      return new ort.Tensor('uint8', rgb, [height, width, 3])
  }
}

export async function runEncoder(model: LoadedModel, job: EncodeJob): Promise<EncodeReply> {
  const started = performance.now()
  const feed = encoderFeed(model, job)
  const preprocessed = performance.now()
  const { session, io, file } = model.encoder
  const outputs = await session.run({ [io.inputName]: feed })
  const output = outputs[io.outputName]
  if (!output || output.type !== 'float32' || output.data.length !== EMBEDDING_LENGTH) {
    throw new Error(`encoder ${file}: output ${io.outputName} has shape [${output?.dims.join(',')}] ${output?.type}, expected [1,256,64,64] float32`)
  }
  return { embedding: output.data as Float32Array, preprocessMs: preprocessed - started, encoderMs: performance.now() - preprocessed }
}

function chooseDecoder(model: LoadedModel, job: DecodeJob): OpenSession<DecoderIo> {
  if (!job.attnSim && !job.targetEmbedding) return model.decoder
  const persam = model.persamDecoder ?? (model.decoder.io.persamInputs ? model.decoder : null)
  if (!persam) throw new Error(`model ${model.info.id} has no decoder with the PerSAM inputs attn_sim and target_embedding`)
  return persam
}

function checkLength(values: Float32Array | null, length: number, what: string): void {
  if (values && values.length !== length) throw new Error(`${what} has ${values.length} values, expected ${length}`)
}

/** Each plane thresholded and run-length encoded at the image's full size (nearest upscaling when smaller). */
function fullSizeRles(logits: Float32Array, count: number, output: Size, full: Size): CocoRle[] {
  const plane = output.width * output.height
  const rles: CocoRle[] = []
  for (let k = 0; k < count; k++) {
    const mask = { width: output.width, height: output.height, data: thresholdLogits(logits, k * plane, plane) }
    rles.push(output.width === full.width && output.height === full.height ? encodeRle(mask) : encodeRleScaled(mask, full.width, full.height))
  }
  return rles
}

export async function runDecoder(model: LoadedModel, embedding: Float32Array, job: DecodeJob): Promise<DecodeReply> {
  checkLength(embedding, EMBEDDING_LENGTH, 'embedding')
  checkLength(job.maskInput, LOW_RES_PLANE, 'maskInput')
  checkLength(job.attnSim, SAM_GRID * SAM_GRID, 'attnSim')
  checkLength(job.targetEmbedding, SAM_FEATURES, 'targetEmbedding')
  const { width, height } = job.outputSize
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) throw new Error(`outputSize must be positive integers, got ${width}x${height}`)

  const decoder = chooseDecoder(model, job)
  const prompt = encodePrompt(job.geometry, job.points, job.box)
  const feeds: Record<string, ort.Tensor> = {
    image_embeddings: new ort.Tensor('float32', embedding, [1, SAM_FEATURES, SAM_GRID, SAM_GRID]),
    point_coords: new ort.Tensor('float32', prompt.coords, [1, prompt.count, 2]),
    point_labels: new ort.Tensor('float32', prompt.labels, [1, prompt.count]),
    mask_input: new ort.Tensor('float32', job.maskInput ?? new Float32Array(LOW_RES_PLANE), [1, 1, SAM_LOW_RES, SAM_LOW_RES]),
    has_mask_input: new ort.Tensor('float32', new Float32Array([job.maskInput ? 1 : 0]), [1]),
    orig_im_size: new ort.Tensor('float32', new Float32Array([height, width]), [2]),
  }
  if (decoder.io.persamInputs) {
    // A combined decoder used without PerSAM inputs gets zeros (a zero target embedding is a no-op).
    feeds[decoder.io.persamInputs.attnSim] = new ort.Tensor('float32', job.attnSim ?? new Float32Array(SAM_GRID * SAM_GRID), [1, 1, 1, SAM_GRID * SAM_GRID])
    feeds[decoder.io.persamInputs.targetEmbedding] = new ort.Tensor('float32', job.targetEmbedding ?? new Float32Array(SAM_FEATURES), [1, 1, SAM_FEATURES])
  }
  const started = performance.now()
  const outputs = await decoder.session.run(feeds)
  const decoderMs = performance.now() - started

  const masks = outputs.masks
  const iou = outputs.iou_predictions
  const lowRes = outputs.low_res_masks
  const maskCount = iou?.dims[1] ?? 0
  const shapeOk =
    masks?.dims.join(',') === `1,${maskCount},${height},${width}` && lowRes?.dims.join(',') === `1,${maskCount},${SAM_LOW_RES},${SAM_LOW_RES}`
  if (!masks || !iou || !lowRes || !shapeOk) {
    throw new Error(`decoder ${decoder.file}: unexpected output shapes masks [${masks?.dims.join(',')}], low_res_masks [${lowRes?.dims.join(',')}]`)
  }
  const maskValues = masks.data as Float32Array
  const plane = width * height
  const fullSize = { width: job.geometry.originalWidth, height: job.geometry.originalHeight }
  const sameSize = fullSize.width === width && fullSize.height === height
  const fullSizeMasks = job.fullSizeMasks.map((index) => {
    if (!(index >= 0 && index < maskCount)) throw new Error(`fullSizeMasks: no mask ${index} (the decoder returns ${maskCount})`)
    const mask = sameSize ? thresholdLogits(maskValues, index * plane, plane) : upscaleLogitsToMask(maskValues, job.outputSize, fullSize, index * plane)
    return { index, mask }
  })
  return {
    ...maskPayload(job.maskOutput, maskValues, () => fullSizeRles(maskValues, maskCount, job.outputSize, fullSize)),
    maskCount,
    extents: maskExtents(maskValues, maskCount, width, height),
    outputSize: job.outputSize,
    iouPredictions: iou.data as Float32Array,
    lowResLogits: lowRes.data as Float32Array,
    fullSizeMasks,
    fused: job.fusionWeights ? fuseMultimask(job.fusionWeights, maskValues, lowRes.data as Float32Array, width, height) : null,
    decoderMs,
  }
}

/** The masks in the form the job asked for; 'none' keeps them in the worker. */
function maskPayload(kind: MaskOutput, logits: Float32Array, rles: () => CocoRle[]): MaskPayload {
  switch (kind) {
    case 'logits':
      return { maskOutput: 'logits', masks: logits }
    case 'binary':
      return { maskOutput: 'binary', binaryMasks: thresholdLogits(logits) }
    case 'rle':
      return { maskOutput: 'rle', rles: rles() }
    case 'none':
      return { maskOutput: 'none' }
  }
}
