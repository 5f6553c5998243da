/**
 * Imports local model files: a folder (with or without manifest.json) or an explicit
 * encoder/decoder pair. Everything is checked before anything is written; the files are then
 * copied into a staging folder with a manifest and a provenance record, and the folder is
 * renamed into the models root. A refusal names the file and the input or output at fault and
 * leaves the models folder as it was.
 */
import { constants } from 'node:fs'
import { copyFile, mkdir, readFile, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { StudioError } from '../../../common/ipc/result'
import { PROVENANCE_FILE } from '../../../common/models/catalog'
import { RECORD_SCHEMA_VERSION, uniqueModelId, type Provenance, type ProvenanceFile } from '../../../common/models/records'
import { MANIFEST_FILE, MANIFEST_SCHEMA_VERSION, parseModelManifest, type ModelManifest } from '../../../common/sam/manifest'
import { fileSha256 } from '../sam/contentHash'
import { pairOnnxFilesByName } from '../sam/modelSource'
import { writeJsonAtomic } from '../fs/atomicWrite'
import { probeDecoderMaskCount } from './decoderProbe'
import { inspectModelPair, ModelFileError, type InspectedPair, type PairFiles } from './modelFiles'
import type { InstalledModelRecord, ModelStore } from './modelStore'

export interface ImportOptions {
  /** Model id; default: the source manifest's id, else one made from the folder name. */
  readonly id?: string
  readonly name?: string
}

interface ResolvedSource {
  readonly files: PairFiles
  readonly manifest: ModelManifest | null
  readonly where: string
}

const STANDARD_NAMES = { encoder: 'encoder.onnx', decoder: 'decoder.onnx', persamDecoder: 'decoder-persam.onnx' } as const

const invalid = (message: string) => new StudioError('invalid-input', message)

/** Pairs the .onnx files of a folder without a manifest by name, or says why it cannot. */
async function pairByName(dir: string): Promise<PairFiles> {
  try {
    return await pairOnnxFilesByName(dir)
  } catch (error) {
    throw invalid(`${(error as Error).message}; import the two files explicitly`)
  }
}

async function resolveSource(source: string | PairFiles): Promise<ResolvedSource> {
  if (typeof source !== 'string') {
    const files = { encoder: path.resolve(source.encoder), decoder: path.resolve(source.decoder), ...(source.persamDecoder ? { persamDecoder: path.resolve(source.persamDecoder) } : {}) }
    return { files, manifest: null, where: files.encoder }
  }
  const where = path.resolve(source)
  const stats = await stat(where).catch(() => null)
  if (!stats) throw new StudioError('not-found', `${where}: not found`)
  if (!stats.isDirectory()) throw invalid(`${where}: a single file is not a model; import its folder, or give the encoder and the decoder files`)
  const manifestFile = path.join(where, MANIFEST_FILE)
  const text = await readFile(manifestFile, 'utf8').catch(() => null)
  if (text === null) return { files: await pairByName(where), manifest: null, where }
  let manifest: ModelManifest
  try {
    manifest = parseModelManifest(text, manifestFile)
  } catch (error) {
    throw invalid(error instanceof Error ? error.message : String(error))
  }
  const files = {
    encoder: path.join(where, manifest.files.encoder),
    decoder: path.join(where, manifest.files.decoder),
    ...(manifest.files.persamDecoder ? { persamDecoder: path.join(where, manifest.files.persamDecoder) } : {}),
  }
  return { files, manifest, where }
}

/** Recognises the pair and builds the manifest it will be installed with. */
async function describeImport(source: ResolvedSource, id: string, options: ImportOptions): Promise<{ manifest: ModelManifest; pair: InspectedPair }> {
  const { files, manifest } = source
  const pair = await inspectModelPair(files, manifest?.persamInputs ?? undefined)
  if (manifest && manifest.encoderInput !== pair.encoder.flavour) {
    throw new ModelFileError('encoder', files.encoder, `its ${MANIFEST_FILE} says encoderInput "${manifest.encoderInput}" but the model's input ${pair.encoder.inputName} is "${pair.encoder.flavour}"`)
  }
  const maskCount = pair.decoder.maskCount ?? (await probeDecoderMaskCount(files.decoder, pair.decoder))
  if (maskCount !== 1 && maskCount !== 4) throw new ModelFileError('decoder', files.decoder, `returns ${maskCount} masks; the runtime drives decoders with 1 or 4`)
  if (manifest && manifest.maskCount !== maskCount) {
    throw new ModelFileError('decoder', files.decoder, `its ${MANIFEST_FILE} says ${manifest.maskCount} masks but the decoder returns ${maskCount}`)
  }
  const persamInputs = (pair.persamDecoder ?? pair.decoder).persamInputs
  const described: ModelManifest = {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    id,
    name: options.name ?? manifest?.name ?? path.basename(source.where, '.onnx'),
    family: manifest?.family ?? 'other',
    files: { encoder: STANDARD_NAMES.encoder, decoder: STANDARD_NAMES.decoder, ...(files.persamDecoder ? { persamDecoder: STANDARD_NAMES.persamDecoder } : {}) },
    encoderInput: pair.encoder.flavour,
    encoderInputName: pair.encoder.inputName,
    decoderOutput: pair.decoder.flavour,
    maskCount,
    persamInputs: persamInputs ? { attnSim: persamInputs.attnSim, targetEmbedding: persamInputs.targetEmbedding } : null,
    licence: manifest?.licence ?? 'unknown (imported; see where the files came from)',
    source: manifest?.source ?? source.where,
  }
  return { manifest: described, pair }
}

async function copyChecked(from: string, to: string): Promise<{ bytes: number; sha256: string }> {
  await mkdir(path.dirname(to), { recursive: true })
  await copyFile(from, to, constants.COPYFILE_FICLONE)
  const [original, copy] = await Promise.all([stat(from), stat(to)])
  if (original.size !== copy.size) throw new StudioError('io', `${to}: copied ${copy.size} of ${original.size} bytes of ${from}`)
  return { bytes: copy.size, sha256: await fileSha256(to) }
}

export async function importModelFiles(store: ModelStore, source: string | PairFiles, options: ImportOptions = {}): Promise<InstalledModelRecord> {
  const resolved = await resolveSource(source)
  const taken = await store.ids()
  if (options.id !== undefined && taken.has(options.id)) throw new StudioError('conflict', `a model "${options.id}" is already installed`)
  if (options.id !== undefined && !/^[a-z0-9][a-z0-9._-]*$/.test(options.id)) throw invalid(`model id "${options.id}": use lower-case letters, digits, ".", "_" or "-"`)
  const id = options.id ?? uniqueModelId(resolved.manifest?.id ?? path.basename(resolved.where), taken)
  let described: { manifest: ModelManifest; pair: InspectedPair }
  try {
    described = await describeImport(resolved, id, options)
  } catch (error) {
    if (error instanceof ModelFileError) throw invalid(error.message)
    throw error
  }
  const { manifest, pair } = described

  const staging = await store.newStagingDir()
  try {
    const copies: ProvenanceFile[] = []
    const roles = [
      ['encoder', resolved.files.encoder, STANDARD_NAMES.encoder],
      ['decoder', resolved.files.decoder, STANDARD_NAMES.decoder],
      ...(resolved.files.persamDecoder ? [['persamDecoder', resolved.files.persamDecoder, STANDARD_NAMES.persamDecoder] as const] : []),
    ] as const
    for (const [role, from, name] of roles) copies.push({ role, file: name, source: from, verified: false, ...(await copyChecked(from, path.join(staging, name))) })
    for (const data of pair.externalData) {
      if (copies.some((copy) => copy.file === data.location)) throw invalid(`${data.absolutePath}: external data named like a model file; rename it in the model first`)
      copies.push({ role: 'external-data', file: data.location, source: data.absolutePath, verified: false, ...(await copyChecked(data.absolutePath, path.join(staging, data.location))) })
    }
    const provenance: Provenance = { schemaVersion: RECORD_SCHEMA_VERSION, origin: 'import', catalogId: null, installedAt: new Date().toISOString(), files: copies, postInstall: [] }
    await writeJsonAtomic(path.join(staging, MANIFEST_FILE), manifest)
    await writeJsonAtomic(path.join(staging, PROVENANCE_FILE), provenance)
    await store.place(staging, id)
  } catch (error) {
    await rm(staging, { recursive: true, force: true })
    throw error
  }
  const installed = await store.get(id)
  if (!installed) throw new StudioError('internal', `${id}: imported but not readable back`)
  return installed
}
