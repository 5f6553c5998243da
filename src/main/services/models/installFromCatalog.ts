/**
 * Installs a catalog entry: every file downloaded (resumably) and verified into
 * `.partial/<id>/`, the pair checked against the catalog's flavour, manifest and provenance
 * written, post-install steps run, and only then the folder renamed to `<id>/`. A cancel clears
 * the partial folder; a network failure keeps it so the next install resumes.
 */
import { mkdir, rm, rmdir, stat, statfs, unlink } from 'node:fs/promises'
import path from 'node:path'
import { StudioError } from '../../../common/ipc/result'
import { catalogFiles, PROVENANCE_FILE, type CatalogEntry } from '../../../common/models/catalog'
import { RECORD_SCHEMA_VERSION, type Provenance, type ProvenanceFile } from '../../../common/models/records'
import { TransferRate } from '../../../common/models/transferRate'
import { MANIFEST_FILE, MANIFEST_SCHEMA_VERSION, type ModelManifest } from '../../../common/sam/manifest'
import { fileSha256 } from '../sam/contentHash'
import { writeJsonAtomic } from '../fs/atomicWrite'
import { probeDecoderMaskCount } from './decoderProbe'
import { downloadVerified, type DownloadTuning } from './download'
import { DownloadError } from './downloadError'
import { inspectModelPair } from './modelFiles'
import type { InstalledModelRecord, ModelStore } from './modelStore'
import { runPostInstall, type PostInstallHooks } from './postInstall'

export interface InstallProgress {
  readonly catalogId: string
  readonly phase: 'downloading' | 'verifying' | 'finishing'
  /** The file being downloaded, e.g. "encoder.onnx". */
  readonly file: string
  readonly doneBytes: number
  /** Exact where the catalog publishes sizes, else its rounded sizes. */
  readonly totalBytes: number
  readonly bytesPerSecond: number
  readonly etaSeconds: number | null
}

export interface InstallRequest {
  readonly signal?: AbortSignal
  readonly onProgress?: (progress: InstallProgress) => void
}

export interface InstallContext {
  readonly store: ModelStore
  readonly tuning: DownloadTuning
  readonly hooks: PostInstallHooks
  /** Free bytes on the models' disk, or null when unknown. */
  readonly freeBytes: (dir: string) => Promise<number | null>
  /** Milliseconds, for speed and progress pacing. */
  readonly now: () => number
}

const PROGRESS_INTERVAL_MS = 200
/** Room left for the manifest, the PerSAM decoder and the rest of the system. */
const DISK_MARGIN_BYTES = 64 * 2 ** 20

export async function systemFreeBytes(dir: string): Promise<number | null> {
  const stats = await statfs(dir).catch(() => null)
  return stats ? stats.bavail * stats.bsize : null
}

const sizeOf = async (file: string) => (await stat(file).catch(() => null))?.size ?? null
const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`

/** A file left complete by an earlier, interrupted install: kept only if it still checks out. */
async function alreadyVerified(file: string, bytes: number | null, sha256: string | null): Promise<string | null> {
  const size = await sizeOf(file)
  if (size === null) return null
  if (bytes !== null && size !== bytes) return null
  const actual = await fileSha256(file)
  return sha256 === null || actual === sha256 ? actual : null
}

function progressReporter(entry: CatalogEntry, totalBytes: number, context: InstallContext, request: InstallRequest) {
  const rate = new TransferRate()
  let lastSent = Number.NEGATIVE_INFINITY
  return (phase: InstallProgress['phase'], file: string, doneBytes: number, force = false) => {
    const now = context.now()
    rate.record(now, doneBytes)
    if (!request.onProgress || (!force && now - lastSent < PROGRESS_INTERVAL_MS)) return
    lastSent = now
    const total = Math.max(totalBytes, doneBytes)
    request.onProgress({ catalogId: entry.id, phase, file, doneBytes, totalBytes: total, bytesPerSecond: rate.bytesPerSecond(), etaSeconds: rate.etaSeconds(total - doneBytes) })
  }
}

async function checkDiskSpace(entry: CatalogEntry, partial: string, context: InstallContext): Promise<void> {
  let needed = DISK_MARGIN_BYTES
  for (const file of catalogFiles(entry)) {
    const expected = file.bytes ?? file.approxBytes ?? 0
    const present = (await sizeOf(path.join(partial, file.file))) ?? (await sizeOf(path.join(partial, `${file.file}.part`))) ?? 0
    needed += Math.max(0, expected - present)
  }
  const free = await context.freeBytes(context.store.root)
  if (free !== null && free < needed) {
    throw new DownloadError('disk-full', `${entry.id}: needs ${megabytes(needed)} of free space in ${context.store.root}, only ${megabytes(free)} free`, false)
  }
}

function manifestFor(entry: CatalogEntry, encoderInputName: string, maskCount: 1 | 4): ModelManifest {
  return {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    id: entry.id,
    name: entry.name,
    family: entry.family,
    files: { encoder: entry.files.encoder.file, decoder: entry.files.decoder.file },
    encoderInput: entry.encoderInput,
    encoderInputName,
    decoderOutput: entry.decoderOutput,
    maskCount,
    persamInputs: null,
    licence: entry.licence,
    source: entry.homepage,
  }
}

/** Checks the verified pair against what the catalog promises; returns its manifest. */
async function describePair(entry: CatalogEntry, partial: string): Promise<ModelManifest> {
  const encoderFile = path.join(partial, entry.files.encoder.file)
  const decoderFile = path.join(partial, entry.files.decoder.file)
  const pair = await inspectModelPair({ encoder: encoderFile, decoder: decoderFile })
  if (pair.encoder.flavour !== entry.encoderInput) {
    throw new StudioError('model', `encoder ${encoderFile}: the catalog says input "${entry.encoderInput}" but the file's input ${pair.encoder.inputName} is "${pair.encoder.flavour}"`)
  }
  const maskCount = pair.decoder.maskCount ?? (await probeDecoderMaskCount(decoderFile, pair.decoder))
  if (maskCount !== 1 && maskCount !== 4) throw new StudioError('model', `decoder ${decoderFile}: returns ${maskCount} masks; the runtime drives 1 or 4`)
  if (entry.maskCount !== null && entry.maskCount !== maskCount) {
    throw new StudioError('model', `decoder ${decoderFile}: the catalog says ${entry.maskCount} masks but the decoder returns ${maskCount}`)
  }
  return manifestFor(entry, pair.encoder.inputName, maskCount)
}

export async function installFromCatalog(entry: CatalogEntry, context: InstallContext, request: InstallRequest = {}): Promise<InstalledModelRecord> {
  const { store, tuning } = context
  const partial = store.partialDir(entry.id)
  await mkdir(partial, { recursive: true })
  const files = catalogFiles(entry)
  const totalBytes = files.reduce((sum, file) => sum + (file.bytes ?? file.approxBytes ?? 0), 0)
  const report = progressReporter(entry, totalBytes, context, request)
  const recorded: ProvenanceFile[] = []
  let completed = false
  try {
    await checkDiskSpace(entry, partial, context)
    let doneBefore = 0
    for (const file of files) {
      const target = path.join(partial, file.file)
      report('downloading', file.file, doneBefore, true)
      const kept = await alreadyVerified(target, file.bytes, file.sha256)
      if (kept === null) await unlink(target).catch(() => undefined)
      const outcome = kept
        ? { url: file.urls[0]!, bytes: (await sizeOf(target)) ?? 0, sha256: kept, verified: file.sha256 !== null }
        : await downloadVerified(
            { label: `${entry.id}/${file.file}`, urls: file.urls, bytes: file.bytes, sha256: file.sha256, file: target },
            tuning,
            { signal: request.signal, onBytes: (bytes) => report('downloading', file.file, doneBefore + bytes) },
          )
      doneBefore += outcome.bytes
      recorded.push({ role: file.role, file: file.file, source: outcome.url, bytes: outcome.bytes, sha256: outcome.sha256, verified: outcome.verified })
    }
    report('verifying', entry.files.decoder.file, doneBefore, true)
    const manifest = await describePair(entry, partial)
    await writeJsonAtomic(path.join(partial, MANIFEST_FILE), manifest)
    report('finishing', entry.files.decoder.file, doneBefore, true)
    const { outcomes } = await runPostInstall(entry.postInstall, partial, context.hooks, request.signal)
    if (request.signal?.aborted) throw new DownloadError('cancelled', `${entry.id}: cancelled`, false)
    const provenance: Provenance = {
      schemaVersion: RECORD_SCHEMA_VERSION,
      origin: 'catalog',
      catalogId: entry.id,
      installedAt: new Date().toISOString(),
      files: recorded,
      postInstall: outcomes,
    }
    await writeJsonAtomic(path.join(partial, PROVENANCE_FILE), provenance)
    await store.place(partial, entry.id)
    completed = true
    await rmdir(path.dirname(partial)).catch(() => undefined) // only when no other download is pending
    const installed = await store.get(entry.id)
    if (!installed) throw new StudioError('internal', `${entry.id}: installed but not readable back`)
    return installed
  } catch (error) {
    if (!completed) await cleanUpFailedInstall(partial, error)
    throw error
  }
}

/**
 * After a failure no manifest may remain (nothing half-installed can be loaded). A cancel or a
 * model that does not match the catalog discards everything; a network or disk failure keeps
 * the verified files and the part, so the next install resumes.
 */
async function cleanUpFailedInstall(partial: string, error: unknown): Promise<void> {
  const keep = error instanceof DownloadError && error.failure !== 'cancelled'
  if (!keep) {
    await rm(partial, { recursive: true, force: true })
    return
  }
  await unlink(path.join(partial, MANIFEST_FILE)).catch(() => undefined)
  await unlink(path.join(partial, PROVENANCE_FILE)).catch(() => undefined)
}
