/**
 * Where a model pair comes from: a folder with manifest.json (the normal case), a folder without
 * one (files found by name, flavour detected from the sessions), or explicit file paths.
 */
import { createHash } from 'node:crypto'
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { MANIFEST_FILE, parseModelManifest, type ModelManifest } from '../../../common/sam/manifest'
import type { ModelPairSpec } from './protocol'

export type ModelSource =
  | { readonly dir: string }
  | { readonly encoderFile: string; readonly decoderFile: string; readonly persamDecoderFile?: string; readonly id?: string }

export interface ResolvedModel {
  readonly spec: ModelPairSpec
  readonly manifest: ModelManifest | null
}

/** An id for a model without a manifest, changing when its files change (it keys the caches). */
async function derivedId(name: string, files: readonly string[]): Promise<string> {
  const hash = createHash('sha256')
  for (const file of files) {
    const stats = await stat(file).catch(() => null)
    hash.update(`${path.resolve(file)}:${stats?.size ?? -1}:${stats?.mtimeMs ?? -1}\n`)
  }
  const base = name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'model'
  return `${base}-${hash.digest('hex').slice(0, 10)}`
}

/**
 * Pairs the .onnx files of a folder without a manifest by name (one *encoder*, one *decoder*, at
 * most one *decoder*persam*), or says why it cannot.
 */
export async function pairOnnxFilesByName(dir: string): Promise<{ encoder: string; decoder: string; persamDecoder?: string }> {
  const names = (await readdir(dir)).filter((name) => name.toLowerCase().endsWith('.onnx')).sort()
  const matching = (test: (name: string) => boolean) => names.filter((name) => test(name.toLowerCase()))
  const encoders = matching((name) => name.includes('encoder'))
  const persam = matching((name) => name.includes('decoder') && name.includes('persam'))
  const decoders = matching((name) => name.includes('decoder') && !name.includes('persam'))
  if (encoders.length !== 1 || decoders.length !== 1 || persam.length > 1) {
    throw new Error(`${dir}: no ${MANIFEST_FILE}, and its .onnx files (${names.join(', ') || 'none'}) are not one *encoder*.onnx and one *decoder*.onnx`)
  }
  return { encoder: path.join(dir, encoders[0]!), decoder: path.join(dir, decoders[0]!), ...(persam[0] ? { persamDecoder: path.join(dir, persam[0]) } : {}) }
}

async function fromFolderWithoutManifest(dir: string): Promise<ResolvedModel> {
  const paired = await pairOnnxFilesByName(dir)
  const encoderFile = paired.encoder
  const decoderFile = paired.decoder
  const persamDecoderFile = paired.persamDecoder
  const id = await derivedId(path.basename(dir), [encoderFile, decoderFile, ...(persamDecoderFile ? [persamDecoderFile] : [])])
  return { spec: { id, encoderFile, decoderFile, persamDecoderFile }, manifest: null }
}

export async function resolveModelSource(source: ModelSource): Promise<ResolvedModel> {
  if (!('dir' in source)) {
    const files = [source.encoderFile, source.decoderFile, ...(source.persamDecoderFile ? [source.persamDecoderFile] : [])]
    const id = source.id ?? (await derivedId(path.basename(source.encoderFile, '.onnx'), files))
    return { spec: { id, encoderFile: path.resolve(source.encoderFile), decoderFile: path.resolve(source.decoderFile), persamDecoderFile: source.persamDecoderFile && path.resolve(source.persamDecoderFile) }, manifest: null }
  }
  const dir = path.resolve(source.dir)
  const manifestFile = path.join(dir, MANIFEST_FILE)
  let text: string
  try {
    text = await readFile(manifestFile, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fromFolderWithoutManifest(dir)
    throw new Error(`${manifestFile}: cannot read (${error instanceof Error ? error.message : String(error)})`)
  }
  const manifest = parseModelManifest(text, manifestFile)
  const spec: ModelPairSpec = {
    id: manifest.id,
    encoderFile: path.join(dir, manifest.files.encoder),
    decoderFile: path.join(dir, manifest.files.decoder),
    persamDecoderFile: manifest.files.persamDecoder ? path.join(dir, manifest.files.persamDecoder) : undefined,
    encoderInput: manifest.encoderInput,
    encoderInputName: manifest.encoderInputName,
    maskCount: manifest.maskCount,
    persamInputs: manifest.persamInputs,
  }
  return { spec, manifest }
}
