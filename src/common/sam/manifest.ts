/**
 * The model manifest: one JSON file (manifest.json) per installed model folder, describing an
 * encoder/decoder pair and how to feed it. Validated with zod; paths are relative to the folder.
 */
import { z } from 'zod'
import { parseJsonRecord } from '../util/jsonRecord'

export const MANIFEST_FILE = 'manifest.json'
export const MANIFEST_SCHEMA_VERSION = 1

/**
 * - `nchw-normalized-1024`: the reference. [1,3,1024,1024] float32, SAM mean/std, zero-padded bottom-right.
 * - `hwc-float-longest-1024`: samexporter --use-preprocess. [H,W,3] float32 0–255, longest side 1024, no padding.
 * - `hwc-uint8-longest-1024`: the same with uint8 pixels.
 */
export const ENCODER_INPUT_FLAVOURS = ['nchw-normalized-1024', 'hwc-float-longest-1024', 'hwc-uint8-longest-1024'] as const
export type EncoderInputFlavour = (typeof ENCODER_INPUT_FLAVOURS)[number]

/**
 * `sam-official`: Meta's export (segment_anything/utils/onnx.py): image_embeddings, point_coords,
 * point_labels, mask_input, has_mask_input, orig_im_size -> masks, iou_predictions, low_res_masks.
 */
export const DECODER_FLAVOURS = ['sam-official'] as const
export type DecoderFlavour = (typeof DECODER_FLAVOURS)[number]

export const MODEL_FAMILIES = ['sam-vit-b', 'sam-vit-l', 'sam-vit-h', 'mobile-sam', 'sam-hq', 'efficientvit-sam', 'toy', 'other'] as const

const relativeFile = z
  .string()
  .min(1)
  .refine((file) => !file.startsWith('/') && !/^[a-zA-Z]:/.test(file) && !file.split(/[\\/]/).includes('..'), {
    message: 'must be a path inside the model folder (relative, no "..")',
  })

const tensorName = z.string().min(1)

export const modelManifestSchema = z
  .object({
    schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION),
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-"'),
    name: z.string().min(1),
    family: z.enum(MODEL_FAMILIES),
    files: z
      .object({
        encoder: relativeFile,
        decoder: relativeFile,
        /** A second decoder with the PerSAM inputs, when the main one lacks them. */
        persamDecoder: relativeFile.optional(),
      })
      .strict(),
    encoderInput: z.enum(ENCODER_INPUT_FLAVOURS),
    /** The encoder input's name when it is not the only input (default: detected). */
    encoderInputName: tensorName.optional(),
    decoderOutput: z.enum(DECODER_FLAVOURS),
    /** 4 without --return-single-mask (what PerSAM needs), 1 with it. */
    maskCount: z.union([z.literal(1), z.literal(4)]),
    /** Names of the PerSAM decoder inputs, in the decoder that has them (persamDecoder when given). */
    persamInputs: z.object({ attnSim: tensorName, targetEmbedding: tensorName }).strict().nullable().default(null),
    licence: z.string().min(1),
    source: z.string().min(1),
  })
  .strict()

export type ModelManifest = z.infer<typeof modelManifestSchema>

/** Parses manifest JSON text; errors name the offending field path. */
export function parseModelManifest(text: string, where = MANIFEST_FILE): ModelManifest {
  return parseJsonRecord(modelManifestSchema, text, where, 'model manifest')
}
