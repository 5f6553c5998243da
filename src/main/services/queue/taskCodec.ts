/**
 * What travels through Redis, and how: the run spec (the prepared target, stored once per run),
 * the per-image task and the worker's result. Typed arrays travel as base64 of their bytes
 * (little-endian, as on every platform onnxruntime runs on): a SAM target is a few KiB, not a
 * JSON array of floats five times that size. Everything read back is validated, and a bad field
 * is named.
 */
import { z } from 'zod'
import type { PreparedTarget } from '../../../common/persam/target'
import type { RunProposal } from '../store'

export const TASK_FORMAT = 1

const floats = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64')

const targetSchema = z.object({
  method: z.enum(['persam', 'persam-f']),
  locationFeatures: z.array(floats).min(1),
  targetEmbedding: floats,
  maskFeature: floats,
  fusion: z
    .object({
      weights: z.tuple([z.number(), z.number(), z.number()]),
      initialLoss: z.number(),
      finalLoss: z.number(),
      iterations: z.number(),
    })
    .nullable(),
  referencePeak: z.number(),
  referenceAreaFraction: z.number().optional(),
  fallbackReferences: z.number(),
})
export type EncodedTarget = z.infer<typeof targetSchema>

export function floatsToBase64(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64')
}

export function base64ToFloats(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64')
  if (bytes.byteLength % 4 !== 0) throw new Error(`a float array of ${bytes.byteLength} bytes (not a multiple of 4)`)
  // Copy into a fresh, aligned buffer: Buffer's pool offset need not be a multiple of 4.
  const copy = new Uint8Array(bytes.byteLength)
  copy.set(bytes)
  return new Float32Array(copy.buffer)
}

export function encodeTarget(target: PreparedTarget): EncodedTarget {
  return {
    method: target.method,
    locationFeatures: target.locationFeatures.map(floatsToBase64),
    targetEmbedding: floatsToBase64(target.targetEmbedding),
    maskFeature: floatsToBase64(target.maskFeature),
    fusion: target.fusion ? { ...target.fusion, weights: [...target.fusion.weights] } : null,
    referencePeak: target.referencePeak,
    fallbackReferences: target.fallbackReferences,
    ...optionalFields(target),
  }
}

/** The target's optional field, present only when set (the workers' area-ratio signal needs it). */
function optionalFields(from: { readonly referenceAreaFraction?: number | undefined }): { referenceAreaFraction?: number } {
  return from.referenceAreaFraction !== undefined ? { referenceAreaFraction: from.referenceAreaFraction } : {}
}

export function decodeTarget(encoded: EncodedTarget): PreparedTarget {
  return {
    method: encoded.method,
    locationFeatures: encoded.locationFeatures.map(base64ToFloats),
    targetEmbedding: base64ToFloats(encoded.targetEmbedding),
    maskFeature: base64ToFloats(encoded.maskFeature),
    fusion: encoded.fusion,
    referencePeak: encoded.referencePeak,
    fallbackReferences: encoded.fallbackReferences,
    ...optionalFields(encoded),
  }
}

const imageAccessSchema = z.discriminatedUnion('kind', [
  /** Workers see the studio's files through shared storage (their --map-path maps the prefix). */
  z.object({ kind: z.literal('path') }),
  /** Workers fetch each image from the studio's image server with the run's token. */
  z.object({ kind: z.literal('fetch'), url: z.string().url(), token: z.string().min(16) }),
])
export type ImageAccess = z.infer<typeof imageAccessSchema>

const runSpecSchema = z.object({
  format: z.literal(TASK_FORMAT),
  run: z.string().min(1),
  modelSha: z.string().regex(/^[0-9a-f]{64}$/),
  segment: z.object({ maxInstances: z.number().int().min(1), absentThreshold: z.number().nullable().optional(), candidates: z.number().int().min(1).optional() }),
  target: targetSchema,
  images: imageAccessSchema,
})
export type RunSpec = z.infer<typeof runSpecSchema>

const storedMaskSchema = z.object({
  size: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
  counts: z.string(),
  area: z.number().int().min(0),
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
})

const taskSchema = z.object({
  run: z.string().min(1),
  imageId: z.number().int(),
  /** The image's path on the studio's machine (workers map it, or fetch by id). */
  file: z.string().min(1),
  /** The image's content hash: the key of the worker's own embedding cache. */
  imageKey: z.string().min(1).optional(),
  /** The masks already kept on the image (full size, as stored): new instances avoid them and count them in maxInstances. */
  keptMasks: z.array(storedMaskSchema).optional(),
})
export type ImageTask = z.infer<typeof taskSchema>

const resultSchema = z.object({
  proposals: z.array(
    z.object({
      mask: storedMaskSchema.nullable(),
      status: z.enum(['proposed', 'absent']).optional(),
      score: z.number().nullable().optional(),
      method: z.unknown().optional(),
    }),
  ),
  /** The image's size after EXIF orientation (also when it is judged absent). */
  width: z.number().int().min(1).optional(),
  height: z.number().int().min(1).optional(),
  worker: z.string().optional(),
  /** The worker's own time on the image (encode, segment, RLE), for the queue's overhead figure. */
  computeMs: z.number().optional(),
  /** The worker's clock when it took the task and when it handed the result back (the benchmark splits the queue's overhead with them). */
  receivedAt: z.number().optional(),
  returnedAt: z.number().optional(),
})
export interface TaskResult {
  readonly proposals: readonly RunProposal[]
  readonly width?: number | undefined
  readonly height?: number | undefined
  readonly worker?: string | undefined
  readonly computeMs?: number | undefined
  readonly receivedAt?: number | undefined
  readonly returnedAt?: number | undefined
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(typeof value === 'string' ? safeJson(value, what) : value)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  throw new Error(`${what}: ${issue.path.join('.') || '(root)'}: ${issue.message}`)
}

function safeJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new Error(`${what}: not JSON`)
  }
}

export const parseRunSpec = (value: unknown, what = 'run spec'): RunSpec => parseWith(runSpecSchema, value, what)
export const parseTask = (value: unknown, what = 'task'): ImageTask => parseWith(taskSchema, value, what)
export const parseTaskResult = (value: unknown, what = 'task result'): TaskResult => parseWith(resultSchema, value, what) as TaskResult
