/**
 * The models folder: one folder per installed model id holding manifest.json, provenance.json
 * and the ONNX files. Work in progress lives in hidden folders that are never listed:
 * `.partial/<catalog id>/` (resumable downloads), `.staging-*` (an import or install being
 * assembled) and `.trash-*` (a removal in progress). A model appears only by the rename of a
 * complete folder, and disappears by the rename of the folder away.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { StudioError } from '../../../common/ipc/result'
import { PROVENANCE_FILE } from '../../../common/models/catalog'
import { provenanceSchema, type Provenance } from '../../../common/models/records'
import { parseJsonRecord } from '../../../common/util/jsonRecord'
import { MANIFEST_FILE, parseModelManifest, type ModelManifest } from '../../../common/sam/manifest'

export const TOY_MODEL_ID = 'toy-sam'

export interface InstalledModelRecord {
  readonly id: string
  readonly dir: string
  readonly manifest: ModelManifest
  /** Null for the bundled toy model and for folders placed by hand. */
  readonly provenance: Provenance | null
  readonly sizeBytes: number
  readonly isToy: boolean
}

/** A folder in the models root that is not a usable model, and why. */
export interface StoreProblem {
  readonly dir: string
  readonly message: string
}

const HIDDEN = /^\./

async function folderBytes(dir: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isFile()) total += (await stat(full)).size
    else if (entry.isDirectory()) total += await folderBytes(full)
  }
  return total
}

export class ModelStore {
  constructor(
    readonly root: string,
    readonly toyDir: string,
  ) {}

  /** Creates the root and clears what an interrupted removal or import left behind. */
  async init(): Promise<void> {
    await mkdir(this.root, { recursive: true })
    for (const name of await readdir(this.root)) {
      if (name.startsWith('.trash-') || name.startsWith('.staging-')) await rm(path.join(this.root, name), { recursive: true, force: true })
    }
  }

  /** Where the downloads of a catalog entry accumulate until the model is complete. */
  partialDir(catalogId: string): string {
    return path.join(this.root, '.partial', catalogId)
  }

  async newStagingDir(): Promise<string> {
    return mkdtemp(path.join(this.root, '.staging-'))
  }

  private async readRecord(id: string, dir: string, isToy: boolean): Promise<InstalledModelRecord> {
    const manifestFile = path.join(dir, MANIFEST_FILE)
    const manifest = parseModelManifest(await readFile(manifestFile, 'utf8'), manifestFile)
    if (manifest.id !== id) throw new Error(`${manifestFile}: the manifest id "${manifest.id}" differs from the folder name "${id}"`)
    for (const file of [manifest.files.encoder, manifest.files.decoder, manifest.files.persamDecoder]) {
      if (file && !(await stat(path.join(dir, file)).catch(() => null))?.isFile()) throw new Error(`${dir}: ${file} named in ${MANIFEST_FILE} is missing`)
    }
    const provenanceFile = path.join(dir, PROVENANCE_FILE)
    const provenanceText = await readFile(provenanceFile, 'utf8').catch(() => null)
    const provenance = provenanceText === null ? null : parseJsonRecord(provenanceSchema, provenanceText, provenanceFile)
    return { id, dir, manifest, provenance, sizeBytes: await folderBytes(dir), isToy }
  }

  /** The toy model first, then installed models by id; unusable folders are reported, not listed. */
  async list(): Promise<{ models: InstalledModelRecord[]; problems: StoreProblem[] }> {
    const models = [await this.readRecord(TOY_MODEL_ID, this.toyDir, true)]
    const problems: StoreProblem[] = []
    const entries = await readdir(this.root, { withFileTypes: true }).catch(() => [])
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (!entry.isDirectory() || HIDDEN.test(entry.name) || entry.name === TOY_MODEL_ID) continue
      const dir = path.join(this.root, entry.name)
      try {
        models.push(await this.readRecord(entry.name, dir, false))
      } catch (error) {
        problems.push({ dir, message: error instanceof Error ? error.message : String(error) })
      }
    }
    return { models, problems }
  }

  /** The usable model with this id, or null. */
  async get(id: string): Promise<InstalledModelRecord | null> {
    if (id === TOY_MODEL_ID) return this.readRecord(TOY_MODEL_ID, this.toyDir, true)
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(id)) return null
    const dir = path.join(this.root, id)
    if (!(await stat(dir).catch(() => null))?.isDirectory()) return null
    return this.readRecord(id, dir, false).catch(() => null)
  }

  async ids(): Promise<Set<string>> {
    const names = await readdir(this.root).catch(() => [])
    return new Set([TOY_MODEL_ID, ...names.filter((name) => !HIDDEN.test(name))])
  }

  /** Moves a complete staged folder into place as model `id`; refuses to replace anything. */
  async place(stagingDir: string, id: string): Promise<string> {
    const target = path.join(this.root, id)
    if ((await this.ids()).has(id)) throw new StudioError('conflict', `a model "${id}" is already installed`)
    await rename(stagingDir, target)
    return target
  }

  /** Removes an installed model: renamed away first, so it is never half-listed. */
  async remove(id: string): Promise<void> {
    if (id === TOY_MODEL_ID) throw new StudioError('invalid-input', 'the bundled toy model is part of the studio and cannot be removed')
    const dir = path.join(this.root, id)
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(id) || !(await stat(dir).catch(() => null))?.isDirectory()) throw new StudioError('not-found', `no installed model "${id}"`)
    const trash = path.join(this.root, `.trash-${id}-${randomBytes(4).toString('hex')}`)
    await rename(dir, trash)
    await rm(trash, { recursive: true, force: true })
  }
}
