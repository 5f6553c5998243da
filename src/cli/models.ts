import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { InvalidArgumentError } from 'commander'
import { EXECUTION_PROVIDERS, type ExecutionProviderChoice } from '../common/ipc/dto/model'
import { preferenceFromChoice } from '../main/services/sam/providers'
import { SamRuntime } from '../main/services/sam/samRuntime'
import { toyModelDir } from '../main/services/system/paths'

/** `--model`: a model folder, or the id of a bundled model. */
export function resolveModelDir(value: string): string {
  if (existsSync(value) && statSync(value).isDirectory()) return path.resolve(value)
  if (value === 'toy-sam' || value === 'toy') return toyModelDir()
  throw new InvalidArgumentError(`"${value}" is neither a model folder nor an installed model id (bundled: toy-sam)`)
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
