/** `persam-studio eval --davis DIR [--sequence]`: per-frame propagation (or, with --sequence, sequence tracking) on a DAVIS-layout folder, J / F / J&F per sequence, with a JSON report. */
import type { ExecutionProviderChoice } from '../common/ipc/dto/model'
import type { PersamMethod } from '../common/persam/target'
import { evaluateDavis, type DavisMode, type DavisReport } from '../main/services/evaluation/davisEval'
import { writeFileAtomic } from '../main/services/fs/atomicWrite'
import { openRuntime } from './models'

export interface DavisEvalCommand {
  readonly davis: string
  readonly method: PersamMethod
  readonly mode: DavisMode
  readonly modelDir: string
  readonly provider: ExecutionProviderChoice
  readonly report: string | null
}

const pct = (value: number): string => (value * 100).toFixed(1).padStart(5)

export function formatDavisReport(report: DavisReport): string {
  const lines = [`${report.method} ${report.mode}: J ${pct(report.j)}  F ${pct(report.f)}  J&F ${pct(report.jf)}  (${report.sequences.length} sequences)`]
  for (const s of report.sequences) lines.push(`  ${s.name.padEnd(24)} J ${pct(s.j)}  F ${pct(s.f)}  J&F ${pct(s.jf)}  (${s.objects} objects, ${s.frames} frames)`)
  return lines.join('\n')
}

export async function davisEvalCommand(command: DavisEvalCommand): Promise<DavisReport> {
  const runtime = await openRuntime(command.modelDir, command.provider, null)
  let report: DavisReport
  try {
    report = await evaluateDavis(runtime, command.davis, { method: command.method, mode: command.mode, onSequence: (name) => process.stderr.write(`${command.mode === 'tracking' ? 'tracking' : 'propagating'} ${name}\n`) })
  } finally {
    await runtime.close()
  }
  console.log(formatDavisReport(report))
  if (command.report) await writeFileAtomic(command.report, `${JSON.stringify(report, null, 2)}\n`)
  return report
}
