/**
 * `persamifyModelFolder(dir)`: gives an installed model its PerSAM decoder when its decoder can be
 * converted. Writes decoder-persam.onnx next to the decoder and records it in manifest.json
 * (files.persamDecoder, persamInputs); a folder without a manifest needs no record, the runtime
 * finds *decoder*persam*.onnx by name. Never throws for a decoder that cannot be converted: the
 * result says why, and the studio keeps using the standard decoder for PerSAM's first call.
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { MANIFEST_FILE, parseModelManifest } from '../../../../common/sam/manifest'
import { writeFileAtomic } from '../../fs/atomicWrite'
import { resolveModelSource } from '../../sam/modelSource'
import { PersamifyError } from './errors'
import { persamifyDecoder, readModelFile, readPersamifyStamp, type PersamifyReport } from './persamifyDecoder'
import { ATTN_SIM_INPUT, TARGET_EMBEDDING_INPUT } from './rewrite'

export const PERSAM_DECODER_FILE = 'decoder-persam.onnx'

export type PersamifyFolderResult =
  | { readonly status: 'converted'; readonly report: PersamifyReport; readonly manifestUpdated: boolean }
  /** The PerSAM decoder is there already, converted from the current decoder. */
  | { readonly status: 'up-to-date'; readonly persamDecoder: string }
  /** The model has PerSAM inputs without conversion (its own PerSAM decoder, or a combined decoder). */
  | { readonly status: 'not-needed'; readonly reason: string }
  /** The decoder cannot be converted; nothing was written. */
  | { readonly status: 'refused'; readonly reason: string; readonly missing: readonly string[] }

/** The source hash a converted decoder records; null for a decoder persamify did not write; 'unreadable' for a broken file. */
async function stampOf(file: string): Promise<string | null | 'unreadable'> {
  try {
    return readPersamifyStamp((await readModelFile(file)).model)?.sourceSha256 ?? null
  } catch {
    return 'unreadable'
  }
}

async function recordInManifest(dir: string, persamDecoder: string): Promise<boolean> {
  const manifestFile = path.join(dir, MANIFEST_FILE)
  if (!existsSync(manifestFile)) return false
  const text = await readFile(manifestFile, 'utf8')
  parseModelManifest(text, manifestFile)
  const json = JSON.parse(text) as { files: Record<string, string>; persamInputs?: unknown }
  json.files.persamDecoder = path.relative(dir, persamDecoder).split(path.sep).join('/')
  json.persamInputs = { attnSim: ATTN_SIM_INPUT, targetEmbedding: TARGET_EMBEDDING_INPUT }
  const updated = `${JSON.stringify(json, null, 2)}\n`
  parseModelManifest(updated, manifestFile)
  await writeFileAtomic(manifestFile, updated)
  return true
}

export async function persamifyModelFolder(dir: string): Promise<PersamifyFolderResult> {
  const folder = path.resolve(dir)
  const { spec, manifest } = await resolveModelSource({ dir: folder })
  const decoderModel = await readModelFile(spec.decoderFile).catch((error: unknown) => {
    if (error instanceof PersamifyError) return error
    throw error
  })
  if (decoderModel instanceof PersamifyError) return { status: 'refused', reason: decoderModel.message, missing: [] }
  const decoderInputs = new Set((decoderModel.model.graph?.input ?? []).map((input) => input.name))
  if (decoderInputs.has(ATTN_SIM_INPUT) || decoderInputs.has(TARGET_EMBEDDING_INPUT)) {
    return { status: 'not-needed', reason: `the decoder ${path.basename(spec.decoderFile)} has the PerSAM inputs itself` }
  }

  const output = path.join(path.dirname(spec.decoderFile), PERSAM_DECODER_FILE)
  const source = createHash('sha256').update(decoderModel.bytes).digest('hex')
  const existing = spec.persamDecoderFile ?? (existsSync(output) ? output : null)
  if (existing) {
    const stamp = await stampOf(existing)
    // A broken file in its place is replaced; a PerSAM decoder the model came with is kept.
    if (stamp === null) return { status: 'not-needed', reason: `the model has its own PerSAM decoder ${path.relative(folder, existing)}` }
    const recorded = !manifest || (manifest.files.persamDecoder !== undefined && manifest.persamInputs !== null)
    if (stamp === source && recorded) return { status: 'up-to-date', persamDecoder: existing }
  }

  try {
    const report = await persamifyDecoder(spec.decoderFile, existing ?? output)
    const manifestUpdated = await recordInManifest(folder, report.outputFile)
    return { status: 'converted', report, manifestUpdated }
  } catch (error) {
    if (error instanceof PersamifyError) return { status: 'refused', reason: error.message, missing: error.missing }
    throw error
  }
}
