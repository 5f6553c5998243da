/** `persam-studio eval`: PerSeg-layout evaluation (pooled mIoU and bIoU), with a JSON report. */
import { rename, writeFile } from 'node:fs/promises'
import type { ExecutionProviderChoice } from '../common/ipc/dto/model'
import type { PersamMethod } from '../common/persam/target'
import { evaluatePerseg, type EvalReport } from '../main/services/evaluation/persegEval'
import { openRuntime } from './models'
import { createProgressBar } from './progress'

export interface EvalCommand {
  readonly data: string
  readonly methods: readonly PersamMethod[]
  readonly modelDir: string
  readonly provider: ExecutionProviderChoice
  readonly report: string | null
  readonly maxInstances: number
  readonly candidates?: number
  readonly absentThreshold?: number
}

const pct = (value: number): string => (value * 100).toFixed(1)

export function formatReport(report: EvalReport): string {
  const lines = [`${report.method}: mIoU ${pct(report.miou)}  bIoU ${pct(report.mbiou)}  ${(report.secondsPerImage * 1000).toFixed(0)} ms/image`]
  for (const object of report.objects) {
    const tag = object.partsDifferInColour === null ? '' : object.partsDifferInColour ? ' (parts differ in colour)' : ''
    lines.push(`  ${object.name.padEnd(24)} IoU ${pct(object.iou).padStart(5)}  bIoU ${pct(object.biou).padStart(5)}${tag}`)
  }
  lines.push(`  absent targets marked absent: ${report.absentTargets.markedAbsent}/${report.absentTargets.images}; targets missed: ${report.missedTargets}`)
  const quality = report.confidenceQuality // calibration: review-queue quality
  lines.push(`  confidence AUROC (good = IoU >= ${quality.goodIou}): ${quality.auroc === null ? 'n/a' : quality.auroc.toFixed(3)}; absent rate ${pct(quality.absentRate)}%; missed rate ${pct(quality.missedRate)}%`)
  lines.push(`  two-instance images with two masks: ${report.twoInstanceImages.withTwoMasks}/${report.twoInstanceImages.images}`)
  return lines.join('\n')
}

export async function evalCommand(command: EvalCommand): Promise<EvalReport[]> {
  const runtime = await openRuntime(command.modelDir, command.provider, null)
  const reports: EvalReport[] = []
  try {
    for (const method of command.methods) {
      const progress = createProgressBar(method)
      const report = await evaluatePerseg(
        runtime,
        command.data,
        {
          method,
          maxInstances: command.maxInstances,
          ...(command.candidates !== undefined ? { candidates: command.candidates } : {}),
          ...(command.absentThreshold !== undefined ? { absentThreshold: command.absentThreshold } : {}),
        },
        (done, total, object) => progress.update(done, total, object),
      )
      progress.finish()
      console.log(formatReport(report))
      reports.push(report)
    }
  } finally {
    await runtime.close()
  }
  if (command.report) {
    const temporary = `${command.report}.tmp-${process.pid}`
    await writeFile(temporary, `${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`)
    await rename(temporary, command.report)
  }
  return reports
}
