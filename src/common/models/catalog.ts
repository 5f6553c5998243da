/**
 * The model catalog (resources/models/catalog.json): real SAM-family encoder/decoder pairs the
 * studio can download. Entries can only name flavours the runtime drives (the manifest's enums),
 * so a pair the runtime cannot run cannot be catalogued by mistake.
 */
import { z } from 'zod'
import { parseJsonRecord } from '../util/jsonRecord'
import { DECODER_FLAVOURS, ENCODER_INPUT_FLAVOURS, MANIFEST_FILE, MODEL_FAMILIES } from '../sam/manifest'

export const CATALOG_SCHEMA_VERSION = 1
export const PROVENANCE_FILE = 'provenance.json'

/** Steps run on a freshly verified model before it is moved into place (e.g. the PerSAM decoder converter, docs/sam-onnx-io.md). */
export const POST_INSTALL_STEPS = ['persamify-decoder'] as const
export type PostInstallStepName = (typeof POST_INSTALL_STEPS)[number]

/** Where the expected sha256 values come from; 'none' = not published, the download is "unverified". */
export const CHECKSUM_SOURCES = ['publisher', 'third-party', 'none'] as const
export type ChecksumSource = (typeof CHECKSUM_SOURCES)[number]

/** How the encoder fares on a laptop CPU: ≤ ~3 s, 5–20 s, ≥ 20 s per image. */
export const CPU_SPEEDS = ['interactive', 'slow', 'impractical'] as const

const RESERVED_FILES = new Set([MANIFEST_FILE, PROVENANCE_FILE])

const fileName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*\.onnx$/, 'a plain file name ending in .onnx (no folders)')
  .refine((name) => !RESERVED_FILES.has(name), 'reserved name')

const downloadUrl = z
  .string()
  .url()
  .refine((url) => /^https?:\/\//.test(url), 'must be an http(s) URL')

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, '64 lower-case hex digits')

export const catalogFileSchema = z
  .object({
    /** Name inside the installed model folder. */
    file: fileName,
    /** Tried in order (a mirror after the primary); every one must serve the same bytes. */
    urls: z.array(downloadUrl).min(1),
    /** Exact size, checked before the file is used; null when not published. */
    bytes: z.number().int().positive().nullable(),
    /** Rounded size for display and the free-space check when `bytes` is null. */
    approxBytes: z.number().int().positive().optional(),
    sha256: sha256.nullable(),
  })
  .strict()
  .refine((file) => file.bytes !== null || file.approxBytes !== undefined, { message: 'needs bytes or approxBytes', path: ['bytes'] })

export const catalogEntrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-"'),
    name: z.string().min(1),
    family: z.enum(MODEL_FAMILIES),
    licence: z.string().min(1),
    homepage: downloadUrl,
    cpu: z.enum(CPU_SPEEDS),
    encoderInput: z.enum(ENCODER_INPUT_FLAVOURS),
    decoderOutput: z.enum(DECODER_FLAVOURS),
    /** 4 (all masks, what PerSAM and the converter need), 1 (--return-single-mask), null = detected at install. */
    maskCount: z.union([z.literal(1), z.literal(4)]).nullable(),
    checksums: z.enum(CHECKSUM_SOURCES),
    files: z.object({ encoder: catalogFileSchema, decoder: catalogFileSchema }).strict(),
    postInstall: z.array(z.enum(POST_INSTALL_STEPS)).default([]),
    notes: z.string(),
  })
  .strict()
  .superRefine((entry, context) => {
    if (entry.files.encoder.file === entry.files.decoder.file) {
      context.addIssue({ code: 'custom', path: ['files', 'decoder', 'file'], message: 'encoder and decoder need different file names' })
    }
    const hashed = [entry.files.encoder, entry.files.decoder].filter((file) => file.sha256 !== null).length
    if ((entry.checksums === 'none') !== (hashed === 0) || (entry.checksums !== 'none' && hashed !== 2)) {
      context.addIssue({ code: 'custom', path: ['checksums'], message: `"${entry.checksums}" does not match the files' sha256 values (${hashed} of 2 given)` })
    }
  })

export const modelCatalogSchema = z
  .object({
    schemaVersion: z.literal(CATALOG_SCHEMA_VERSION),
    models: z.array(catalogEntrySchema),
  })
  .strict()
  .superRefine((catalog, context) => {
    const seen = new Set<string>()
    catalog.models.forEach((entry, index) => {
      if (seen.has(entry.id)) context.addIssue({ code: 'custom', path: ['models', index, 'id'], message: `duplicate id "${entry.id}"` })
      seen.add(entry.id)
    })
  })

export type CatalogFile = z.infer<typeof catalogFileSchema>
export type CatalogEntry = z.infer<typeof catalogEntrySchema>
export type ModelCatalog = z.infer<typeof modelCatalogSchema>
export type CatalogFileRole = keyof CatalogEntry['files']

/** Parses catalog JSON text; errors name the offending field path. */
export function parseModelCatalog(text: string, where: string): ModelCatalog {
  return parseJsonRecord(modelCatalogSchema, text, where, 'model catalog')
}

export function catalogFiles(entry: CatalogEntry): readonly (CatalogFile & { readonly role: CatalogFileRole })[] {
  return [
    { ...entry.files.encoder, role: 'encoder' },
    { ...entry.files.decoder, role: 'decoder' },
  ]
}

/** Bytes to download: exact where published, else the rounded size. */
export function catalogDownloadBytes(entry: CatalogEntry): number {
  return catalogFiles(entry).reduce((sum, file) => sum + (file.bytes ?? file.approxBytes ?? 0), 0)
}

/** What a user should know before installing: checksum state, speed, conversion needs. */
export function describeCatalogEntry(entry: CatalogEntry): string {
  const checksum =
    entry.checksums === 'none'
      ? 'Unverified: no sha256 is published, so the download is checked for completeness and as an ONNX model only.'
      : `Verified: size and sha256 (${entry.checksums === 'publisher' ? 'published by the host' : 'recorded by independent projects'}) are checked before use.`
  const masks =
    entry.maskCount === 4
      ? 'Four-mask decoder; the PerSAM decoder is derived from it after install when the converter is available.'
      : entry.maskCount === 1
        ? 'Single-mask decoder: clicks work; PerSAM uses the one mask and cannot get the PerSAM decoder.'
        : 'Mask count detected at install (likely a single-mask decoder).'
  return [entry.notes, checksum, masks].filter((part) => part.length > 0).join(' ')
}
