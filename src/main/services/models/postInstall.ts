/**
 * Steps run on a verified model folder before it is moved into place. Today one: deriving the
 * PerSAM decoder from a four-mask official decoder (`persamifyModelFolder(dir)` from services/onnx/persamify, passed
 * in as a hook so this code does not depend on it). A step that does not apply, is missing from
 * the build or fails is recorded and skipped: the model still installs and the runtime uses the
 * standard decoder.
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import type { PostInstallStepName } from '../../../common/models/catalog'
import type { PostInstallOutcome } from '../../../common/models/records'
import { MANIFEST_FILE, parseModelManifest, type ModelManifest } from '../../../common/sam/manifest'
import { writeFileAtomic } from '../fs/atomicWrite'

/** Works on the model folder in place (it may add files and rewrite manifest.json atomically). */
export type PostInstallHook = (modelDir: string) => Promise<unknown>
export type PostInstallHooks = Partial<Record<PostInstallStepName, PostInstallHook>>

/** Why a step does not apply to this model, or null when it does. */
function notApplicable(step: PostInstallStepName, manifest: ModelManifest): string | null {
  switch (step) {
    case 'persamify-decoder':
      if (manifest.files.persamDecoder || manifest.persamInputs) return 'the model already has a decoder with the PerSAM inputs'
      if (manifest.maskCount !== 4) return `the decoder returns ${manifest.maskCount} mask; the converter needs a four-mask decoder`
      return null
  }
}

async function checkResult(dir: string, manifestFile: string): Promise<ModelManifest> {
  const manifest = parseModelManifest(await readFile(manifestFile, 'utf8'), manifestFile)
  for (const file of [manifest.files.encoder, manifest.files.decoder, manifest.files.persamDecoder]) {
    if (file && !(await stat(path.join(dir, file)).catch(() => null))?.isFile()) throw new Error(`${MANIFEST_FILE} names ${file}, which the step did not write`)
  }
  return manifest
}

export async function runPostInstall(
  steps: readonly PostInstallStepName[],
  dir: string,
  hooks: PostInstallHooks,
  signal?: AbortSignal,
): Promise<{ outcomes: PostInstallOutcome[]; manifest: ModelManifest }> {
  const manifestFile = path.join(dir, MANIFEST_FILE)
  let text = await readFile(manifestFile, 'utf8')
  let manifest = parseModelManifest(text, manifestFile)
  const outcomes: PostInstallOutcome[] = []
  for (const step of steps) {
    if (signal?.aborted) break
    const reason = notApplicable(step, manifest)
    const hook = hooks[step]
    if (reason !== null || !hook) {
      outcomes.push({ step, outcome: 'skipped', message: reason ?? 'this build has no converter for this step' })
      continue
    }
    const before = new Set(await readdir(dir))
    try {
      await hook(dir)
      manifest = await checkResult(dir, manifestFile)
      text = await readFile(manifestFile, 'utf8')
      outcomes.push({ step, outcome: 'done', message: manifest.files.persamDecoder ? `wrote ${manifest.files.persamDecoder}` : 'done' })
    } catch (error) {
      // Keep the model usable as it was before the step, without what the step left behind.
      await writeFileAtomic(manifestFile, text)
      for (const name of await readdir(dir)) if (!before.has(name)) await rm(path.join(dir, name), { recursive: true, force: true })
      outcomes.push({ step, outcome: 'failed', message: error instanceof Error ? error.message : String(error) })
    }
  }
  return { outcomes, manifest }
}
