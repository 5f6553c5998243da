/**
 * The small JSON records the model manager keeps: provenance.json in each installed model folder
 * (where its files came from, what was verified) and the per-machine model settings (selected
 * model, execution provider). Both are zod-validated; errors name the field.
 */
import { z } from 'zod'
import { EXECUTION_PROVIDERS } from '../ipc/dto/model'
import { POST_INSTALL_STEPS } from './catalog'

export const RECORD_SCHEMA_VERSION = 1

const provenanceFileSchema = z
  .object({
    role: z.enum(['encoder', 'decoder', 'persamDecoder', 'external-data']),
    file: z.string().min(1),
    /** The URL it was downloaded from, or the path it was imported from. */
    source: z.string().min(1),
    bytes: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** True when the sha256 matched a published or recorded value; false = computed on arrival only. */
    verified: z.boolean(),
  })
  .strict()

const postInstallOutcomeSchema = z
  .object({
    step: z.enum(POST_INSTALL_STEPS),
    outcome: z.enum(['done', 'skipped', 'failed']),
    message: z.string(),
  })
  .strict()

export const provenanceSchema = z
  .object({
    schemaVersion: z.literal(RECORD_SCHEMA_VERSION),
    origin: z.enum(['catalog', 'import']),
    catalogId: z.string().nullable(),
    installedAt: z.string().min(1),
    files: z.array(provenanceFileSchema),
    postInstall: z.array(postInstallOutcomeSchema),
  })
  .strict()

export type Provenance = z.infer<typeof provenanceSchema>
export type ProvenanceFile = z.infer<typeof provenanceFileSchema>
export type PostInstallOutcome = z.infer<typeof postInstallOutcomeSchema>

export const modelSettingsSchema = z
  .object({
    schemaVersion: z.literal(RECORD_SCHEMA_VERSION),
    selectedModelId: z.string().min(1).nullable(),
    provider: z.enum(EXECUTION_PROVIDERS),
  })
  .strict()

export type ModelSettings = z.infer<typeof modelSettingsSchema>

export const DEFAULT_MODEL_SETTINGS: ModelSettings = { schemaVersion: RECORD_SCHEMA_VERSION, selectedModelId: null, provider: 'auto' }

/** A folder-safe model id from a free name ("My SAM (b)" -> "my-sam-b"), unique among `taken`. */
export function uniqueModelId(name: string, taken: ReadonlySet<string>): string {
  const base =
    name
      .toLowerCase()
      .replace(/\.onnx$/, '')
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '')
      .replace(/-+$/, '')
      .slice(0, 60) || 'model'
  if (!taken.has(base)) return base
  for (let suffix = 2; ; suffix++) {
    const candidate = `${base}-${suffix}`
    if (!taken.has(candidate)) return candidate
  }
}
