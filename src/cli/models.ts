import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { InvalidArgumentError } from 'commander'
import { EXECUTION_PROVIDERS, type ExecutionProviderChoice } from '../common/ipc/dto/model'
import { MANIFEST_FILE } from '../common/sam/manifest'
import { modelManagerPaths, studioDataDir } from '../main/services/models/modelPaths'
import { preferenceFromChoice } from '../main/services/sam/providers'
import { SamRuntime } from '../main/services/sam/samRuntime'
import { toyModelDir } from '../main/services/system/paths'

/** `--model` (a commander option parser, so one argument): a folder, an installed model id, or the toy model. */
export function resolveModelDir(value: string): string {
  return resolveModelDirIn(value, modelManagerPaths(studioDataDir()).modelsDir)
}

export function resolveModelDirIn(value: string, modelsDir: string): string {
  if (existsSync(value) && statSync(value).isDirectory()) return path.resolve(value)
  if (value === 'toy-sam' || value === 'toy') return toyModelDir()
  const installed = path.join(modelsDir, value)
  if (/^[a-z0-9][a-z0-9._-]*$/.test(value) && existsSync(path.join(installed, MANIFEST_FILE))) return installed
  const ids = existsSync(modelsDir) ? readdirSync(modelsDir).filter((name) => !name.startsWith('.') && existsSync(path.join(modelsDir, name, MANIFEST_FILE))) : []
  throw new InvalidArgumentError(`"${value}" is neither a model folder nor an installed model id (installed: ${ids.join(', ') || 'none'}; bundled: toy-sam)`)
}

export function parseProvider(value: string): ExecutionProviderChoice {
  if (!(EXECUTION_PROVIDERS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${EXECUTION_PROVIDERS.join(', ')}`)
  }
  return value as ExecutionProviderChoice
}

export async function openRuntime(modelDir: string, provider: ExecutionProviderChoice, cacheDir: string | null): Promise<SamRuntime> {
  const runtime = await SamRuntime.open({ model: { dir: modelDir }, providers: preferenceFromChoice(provider), cacheDir })
  const sessions = runtime.model
  process.stderr.write(`model ${sessions.id}: ${describeProviders(sessions)}\n`)
  return runtime
}

function describeProviders(model: SamRuntime['model']): string {
  const report = model.encoder.providers
  const failed = report.attempts.filter((attempt) => !attempt.ok)
  const why = failed.length > 0 ? ` (${failed.map((a) => `${a.provider} unavailable: ${a.error}`).join('; ')})` : ''
  return `running on ${report.active}${why}`
}
