/**
 * Execution-provider selection: which onnxruntime providers to try, in which order, and a session
 * factory that falls back through them and reports what actually runs. Kept apart from the rest
 * of the runtime so the model manager can extend it (availability, reasons) later.
 */
import type { InferenceSession } from 'onnxruntime-node'

export const EXECUTION_PROVIDERS = ['cuda', 'dml', 'coreml', 'cpu'] as const
export type ExecutionProviderName = (typeof EXECUTION_PROVIDERS)[number]
export type ProviderPreference = 'auto' | readonly ExecutionProviderName[]

export interface ProviderAttempt {
  readonly provider: ExecutionProviderName
  readonly ok: boolean
  readonly error?: string
}

export interface ProviderReport {
  readonly requested: readonly ExecutionProviderName[]
  readonly active: ExecutionProviderName
  readonly attempts: readonly ProviderAttempt[]
}

/**
 * 'auto' = the accelerator onnxruntime-node ships for the platform (DirectML on Windows, CoreML
 * on macOS, CUDA on Linux x64), then cpu. cpu is always the last resort, added when missing.
 */
export function resolveProviderPreference(
  preference: ProviderPreference,
  platform: string = process.platform,
  arch: string = process.arch,
): ExecutionProviderName[] {
  let order: ExecutionProviderName[]
  if (preference === 'auto') {
    if (platform === 'win32') order = ['dml']
    else if (platform === 'darwin') order = ['coreml']
    else if (platform === 'linux' && arch === 'x64') order = ['cuda']
    else order = []
  } else {
    for (const name of preference) {
      if (!EXECUTION_PROVIDERS.includes(name)) throw new Error(`unknown execution provider "${String(name)}" (known: ${EXECUTION_PROVIDERS.join(', ')})`)
    }
    order = [...new Set(preference)]
  }
  return order.includes('cpu') ? order : [...order, 'cpu']
}

export interface SessionTuning {
  /** onnxruntime intra-op threads; 0 lets onnxruntime choose (about the physical core count). */
  readonly intraOpThreads?: number
}

/** Session options for a desktop app: no spinning idle threads, a configurable thread count. */
export function sessionOptions(provider: ExecutionProviderName, tuning: SessionTuning): InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    intraOpNumThreads: tuning.intraOpThreads ?? 0,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n')[0]!.trim()
}

/**
 * Tries each provider alone, in order (onnxruntime still places unsupported nodes on the CPU),
 * and returns the first session that loads. When every provider fails, the error carries the
 * last (cpu) failure, which is about the model itself, and the list of attempts.
 */
export async function createSessionWithFallback(
  file: string,
  providers: readonly ExecutionProviderName[],
  tuning: SessionTuning,
  create: (file: string, options: InferenceSession.SessionOptions) => Promise<InferenceSession>,
): Promise<{ session: InferenceSession; report: ProviderReport }> {
  const attempts: ProviderAttempt[] = []
  for (const provider of providers) {
    try {
      const session = await create(file, sessionOptions(provider, tuning))
      attempts.push({ provider, ok: true })
      return { session, report: { requested: providers, active: provider, attempts } }
    } catch (error) {
      attempts.push({ provider, ok: false, error: firstLine(error) })
    }
  }
  const tried = attempts.map((attempt) => `${attempt.provider}: ${attempt.error}`).join('; ')
  throw Object.assign(new Error(`no execution provider could load the model (${tried})`), { attempts })
}
