/** `persam-studio eval`: PerSeg-layout evaluation (pooled mIoU and bIoU), with a JSON report. */
import { Command } from 'commander'
import type { ExecutionProviderChoice } from '../common/ipc/dto/model'
import type { PersamMethod } from '../common/persam/target'
import { evaluatePerseg, type EvalReport } from '../main/services/evaluation/persegEval'
import { readPersegDataset } from '../main/services/evaluation/persegDataset'
import { writeFileAtomic } from '../main/services/fs/atomicWrite'
import { prepareOutputFile } from '../main/services/fs/outputPath'
import { openRuntime, parseProvider, resolveModelDir } from './models'
import { collectMethods, integerIn, parseUnit } from './options'
import { createProgressBar } from './progress'
import { davisEvalCommand } from './davisEval'
import { action, UsageError } from './run'

export interface EvalOptions {
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
  if (report.skippedObjects.length > 0) lines.push(`  objects skipped: ${report.skippedObjects.map((object) => object.name).join(', ')}`)
  return lines.join('\n')
}

export async function runEval(options: EvalOptions): Promise<EvalReport[]> {
  const reportFile = options.report === null ? null : await prepareOutputFile(options.report, '--report')
  await readPersegDataset(options.data) // a wrong --data fails before the model loads
  const runtime = await openRuntime(options.modelDir, options.provider, null)
  const reports: EvalReport[] = []
  try {
    for (const method of options.methods) {
      const progress = createProgressBar(method)
      const report = await evaluatePerseg(
        runtime,
        options.data,
        {
          method,
          maxInstances: options.maxInstances,
          ...(options.candidates !== undefined ? { candidates: options.candidates } : {}),
          ...(options.absentThreshold !== undefined ? { absentThreshold: options.absentThreshold } : {}),
        },
        (done, total, object) => progress.update(done, total, object),
      )
      progress.finish()
      // Reported once, not once per method.
      if (reports.length === 0) for (const skipped of report.skippedObjects) process.stderr.write(`skipped object ${skipped.name}: ${skipped.reason}\n`)
      if (report.objects.length === 0) throw new Error(`--data ${options.data}: no object could be evaluated`)
      console.log(formatReport(report))
      reports.push(report)
    }
  } finally {
    await runtime.close()
  }
  if (reportFile) await writeFileAtomic(reportFile, `${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`)
  return reports
}

interface EvalCliOptions {
  data?: string
  davis?: string
  sequence?: boolean
  method?: PersamMethod[]
  model: string
  ep: ExecutionProviderChoice
  report?: string
  maxInstances: number
  candidates?: number
  absentThreshold?: number
}

export function evalCommand(): Command {
  return new Command('eval')
    .description('evaluate on a PerSeg-layout folder (Images/<object>/NN.jpg, Annotations/<object>/NN.png, 00 = reference)')
    .option('--data <dir>', 'PerSeg-layout folder')
    .option('--davis <dir>', 'instead: a DAVIS-layout folder (JPEGImages/480p/<seq>/, Annotations/480p/<seq>/, frame 0 = reference), propagated to every frame')
    .option('--sequence', 'with --davis: track each sequence from frame 0 instead of propagating to each frame on its own')
    .option('--method <method...>', 'persam and/or persam-f (default: both)', collectMethods)
    .option('--model <id|dir>', 'model folder or bundled model id', resolveModelDir, resolveModelDir('toy-sam'))
    .option('--ep <provider>', 'execution provider', parseProvider, 'auto')
    .option('--report <file.json>', 'write the full report as JSON (its folder is created)')
    .option('--max-instances <n>', 'instances per image', integerIn(1, 20), 2)
    .option('--candidates <n>', 'location peaks to try per instance (1 = the reference)', integerIn(1, 10))
    .option('--absent-threshold <x>', 'confidence below which an image is marked absent', parseUnit)
    .action(
      action(async (o: EvalCliOptions) => {
        if (o.davis) {
          const report = o.report ? await prepareOutputFile(o.report, '--report') : null
          await davisEvalCommand({ davis: o.davis, method: o.method?.[0] ?? 'persam-f', mode: o.sequence ? 'tracking' : 'per-frame', modelDir: o.model, provider: o.ep, report })
          return
        }
        if (!o.data) throw new UsageError('eval needs --data <dir> (PerSeg layout) or --davis <dir> (DAVIS layout)')
        await runEval({ data: o.data, methods: o.method ?? ['persam', 'persam-f'], modelDir: o.model, provider: o.ep, report: o.report ?? null, maxInstances: o.maxInstances, candidates: o.candidates, absentThreshold: o.absentThreshold })
      }),
    )
}
